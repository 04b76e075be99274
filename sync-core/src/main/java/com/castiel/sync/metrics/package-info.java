/**
 * Monitoring: {@link com.castiel.sync.metrics.SyncMetrics} (the seed's Micrometer meters),
 * {@link com.castiel.sync.metrics.AlertEvaluator} (the seed's four alerts, evaluated without
 * I/O) and {@link com.castiel.sync.metrics.JobLog} (one structured log event per finished job).
 */
package com.castiel.sync.metrics;
