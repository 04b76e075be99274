package com.castiel.sync.standalone.config;

/**
 * Work limits ({@code limits} in the configuration; the seed's {@code SYNC_CONFIG}).
 *
 * @param maxRecordsPerSync records after which a sync run stops and leaves a checkpoint that a
 *     continuation job resumes, so one huge integration does not hold a worker for hours; 0 means
 *     no limit
 * @param maxConcurrentSyncs inbound jobs (scheduled and webhook) processed at once
 */
public record Limits(Long maxRecordsPerSync, Integer maxConcurrentSyncs) {

    public static final int DEFAULT_MAX_CONCURRENT_SYNCS = 3;

    public Limits {
        maxRecordsPerSync = maxRecordsPerSync == null ? 0L : maxRecordsPerSync;
        maxConcurrentSyncs = maxConcurrentSyncs == null ? DEFAULT_MAX_CONCURRENT_SYNCS : maxConcurrentSyncs;
    }

    public static Limits defaults() {
        return new Limits(null, null);
    }
}
