/**
 * When integrations sync. {@link com.castiel.sync.schedule.SyncSchedule} computes slots
 * (interval, six-field cron, manual) and full-versus-incremental;
 * {@link com.castiel.sync.schedule.SyncScheduler} claims due integrations with compare-and-set
 * and enqueues their jobs. Hosts drive {@code SyncScheduler.tick()} from their own timer.
 */
package com.castiel.sync.schedule;
