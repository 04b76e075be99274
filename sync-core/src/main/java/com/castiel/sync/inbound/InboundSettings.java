package com.castiel.sync.inbound;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of inbound syncs.
 *
 * @param pageSize records requested per page (providers may return fewer)
 * @param overlap how far before the stored watermark an incremental scan restarts; covers
 *     provider transactions that commit with a stamp older than records already seen. Re-read
 *     records cost a hash comparison, no write.
 * @param maxRecordErrors failed records kept in the run history (the count is always exact)
 * @param maxRecordsPerSync records after which a run stops and leaves a checkpoint for a
 *     continuation job; 0 means no limit
 * @param storeConflictRetries times a page is re-read and re-applied when a concurrent writer
 *     changed one of its shards
 * @param sweepBatchSize shards examined per step of the post-scan sweep
 */
public record InboundSettings(int pageSize, Duration overlap, int maxRecordErrors, long maxRecordsPerSync,
                              int storeConflictRetries, int sweepBatchSize) {

    public InboundSettings {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
        Objects.requireNonNull(overlap, "overlap");
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("overlap must not be negative");
        }
        if (maxRecordsPerSync < 0) {
            throw new IllegalArgumentException("maxRecordsPerSync must not be negative");
        }
        if (sweepBatchSize < 1) {
            throw new IllegalArgumentException("sweepBatchSize must be positive");
        }
    }

    /** 2,000-record pages, 5-minute overlap, 100 kept record errors, no record cap, 3 conflict retries. */
    public static InboundSettings defaults() {
        return new InboundSettings(2000, Duration.ofMinutes(5), 100, 0, 3, 500);
    }

    public InboundSettings withPageSize(int size) {
        return new InboundSettings(size, overlap, maxRecordErrors, maxRecordsPerSync, storeConflictRetries, sweepBatchSize);
    }

    public InboundSettings withMaxRecordsPerSync(long max) {
        return new InboundSettings(pageSize, overlap, maxRecordErrors, max, storeConflictRetries, sweepBatchSize);
    }

    public InboundSettings withOverlap(Duration d) {
        return new InboundSettings(pageSize, d, maxRecordErrors, maxRecordsPerSync, storeConflictRetries, sweepBatchSize);
    }
}
