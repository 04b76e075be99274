package com.castiel.sync.spi;

/**
 * What an adapter can do. The engine calls only what the adapter declares; contract tests are
 * gated by the same declarations.
 */
public enum Capability {
    /** {@link ProviderAdapter#fetch} pages through an entity (full scans). Every adapter has it. */
    READ,
    /**
     * {@link ProviderAdapter#fetch} honours {@link FetchRequest#since()} and returns records in
     * ascending (modification stamp, id) order, so watermark-based incremental syncs work.
     */
    INCREMENTAL,
    /** {@link ProviderAdapter#fetch} supports opaque delta tokens ({@link FetchRequest#deltaToken()}). */
    DELTA,
    /** {@link ProviderAdapter#fetchDeleted} reports deletions since a watermark. */
    DELETED_FEED,
    /** {@link ProviderAdapter#fetchByIds} reads specific records (webhook refetch, read-before-write). */
    FETCH_BY_IDS,
    /** {@link ProviderAdapter#write} creates, updates and deletes single records. */
    WRITE,
    /** {@link ProviderAdapter#writeBatch} writes several records in one provider call. */
    BATCH_WRITE,
    /** Writes accept {@link WriteKind#UPSERT} by an external id field. */
    UPSERT,
    /** Writes honour {@link WriteRequest#ifMatch()} / {@link WriteRequest#ifUnmodifiedSince()}. */
    CONDITIONAL_WRITE,
    /** {@link ProviderAdapter#verifyWebhook} and {@link ProviderAdapter#parseWebhook} are implemented. */
    WEBHOOKS,
    /** {@link ProviderAdapter#refreshCredentials} obtains new tokens. */
    TOKEN_REFRESH
}
