package com.castiel.sync.outbound;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of write-back processing.
 *
 * @param batchWait how long a session receiver waits for each further message while it gathers
 *     a batch (a short wait lets a burst of edits arrive and be coalesced); {@link Duration#ZERO}
 *     takes only what is already visible
 * @param maxMessagesPerBatch messages gathered for one batch at most; distinct shards are further
 *     bounded by the provider's batch size
 * @param inSessionRetries times a batch whose writes failed transiently is retried inside the
 *     held session (sleeping with backoff, renewing locks) before its messages are abandoned and
 *     the session released for an in-order redelivery
 * @param preconditionRetries times one record is re-read and re-resolved after the provider
 *     refused a conditional write because the record changed; beyond that the record counts as a
 *     transient failure
 * @param storeConflictRetries times the shard updates of a batch are re-read and re-applied when
 *     a concurrent writer changed one of the shards
 * @param readBatchSize ids per {@code fetchByIds} call of the read before write
 * @param maxBatchesPerSession batches processed before a session is released so other sessions
 *     get a turn; the session is accepted again later with its order intact
 */
public record OutboundSettings(Duration batchWait, int maxMessagesPerBatch, int inSessionRetries, int preconditionRetries,
                               int storeConflictRetries, int readBatchSize, int maxBatchesPerSession) {

    public OutboundSettings {
        Objects.requireNonNull(batchWait, "batchWait");
        if (batchWait.isNegative()) {
            throw new IllegalArgumentException("batchWait must not be negative");
        }
        requireAtLeast(maxMessagesPerBatch, 1, "maxMessagesPerBatch");
        requireAtLeast(inSessionRetries, 0, "inSessionRetries");
        requireAtLeast(preconditionRetries, 0, "preconditionRetries");
        requireAtLeast(storeConflictRetries, 0, "storeConflictRetries");
        requireAtLeast(readBatchSize, 1, "readBatchSize");
        requireAtLeast(maxBatchesPerSession, 1, "maxBatchesPerSession");
    }

    /**
     * 100 ms gathering wait, 500 messages per batch, 3 in-session retries, 3 precondition
     * re-resolutions, 5 store-conflict retries, 200 ids per read, 50 batches per session turn.
     */
    public static OutboundSettings defaults() {
        return new OutboundSettings(Duration.ofMillis(100), 500, 3, 3, 5, 200, 50);
    }

    public OutboundSettings withBatchWait(Duration wait) {
        return new OutboundSettings(wait, maxMessagesPerBatch, inSessionRetries, preconditionRetries, storeConflictRetries, readBatchSize,
                maxBatchesPerSession);
    }

    public OutboundSettings withInSessionRetries(int retries) {
        return new OutboundSettings(batchWait, maxMessagesPerBatch, retries, preconditionRetries, storeConflictRetries, readBatchSize,
                maxBatchesPerSession);
    }

    public OutboundSettings withMaxMessagesPerBatch(int max) {
        return new OutboundSettings(batchWait, max, inSessionRetries, preconditionRetries, storeConflictRetries, readBatchSize,
                maxBatchesPerSession);
    }

    public OutboundSettings withMaxBatchesPerSession(int max) {
        return new OutboundSettings(batchWait, maxMessagesPerBatch, inSessionRetries, preconditionRetries, storeConflictRetries, readBatchSize,
                max);
    }

    private static void requireAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }
}
