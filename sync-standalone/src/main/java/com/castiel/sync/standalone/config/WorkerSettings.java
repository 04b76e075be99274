package com.castiel.sync.standalone.config;

/**
 * Timers of the runtime ({@code workers} in the configuration).
 *
 * @param schedulerTickSeconds how often due integrations are looked for; the seed's Functions
 *     timer runs every minute, the default here is shorter because a tick is one indexed query
 * @param tokenRefreshMinutes how often tokens expiring within two hours are refreshed
 * @param shutdownGraceSeconds how long a stop waits for in-flight jobs before releasing them to
 *     the queue for the next start
 * @param maxWriteBackSessions write-back sessions (integrations) processed at once
 */
public record WorkerSettings(Integer schedulerTickSeconds, Integer tokenRefreshMinutes, Integer shutdownGraceSeconds,
                             Integer maxWriteBackSessions) {

    public WorkerSettings {
        schedulerTickSeconds = schedulerTickSeconds == null ? 10 : schedulerTickSeconds;
        tokenRefreshMinutes = tokenRefreshMinutes == null ? 5 : tokenRefreshMinutes;
        shutdownGraceSeconds = shutdownGraceSeconds == null ? 30 : shutdownGraceSeconds;
        maxWriteBackSessions = maxWriteBackSessions == null ? 8 : maxWriteBackSessions;
    }

    public static WorkerSettings defaults() {
        return new WorkerSettings(null, null, null, null);
    }
}
