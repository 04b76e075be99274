package com.castiel.sync.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one {@link WriteRequest}: written, or failed with a classified error. Adapters
 * return {@link Failed} for refusals of this record only; failures of the whole exchange are
 * thrown from {@link ProviderAdapter#write} / {@link ProviderAdapter#writeBatch} instead.
 */
public sealed interface WriteResult {

    /**
     * The provider accepted the write.
     *
     * @param externalId the record's id (new for creates); required for creates and upserts, the
     *     engine fails the change when it is missing
     * @param version the record's new version (ETag, modstamp) when the provider returned one
     * @param modifiedAt its new modification stamp when known
     * @param created true when a record was created (create, or upsert that inserted)
     */
    record Written(String externalId, String version, Instant modifiedAt, boolean created) implements WriteResult {
    }

    /**
     * The provider refused this record; other records of a batch are unaffected.
     *
     * @param error the classified failure ({@code Validation} with the field when known,
     *     {@code Conflict} for failed preconditions, {@code NotFound}, or a retryable kind)
     */
    record Failed(SyncException error) implements WriteResult {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
