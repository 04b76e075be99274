package com.castiel.sync.spi;

/**
 * Stable machine-readable codes for failures, in the seed's vocabulary. Codes, not exception
 * types, are what metrics, dead-letter reasons and run history carry.
 */
public enum ErrorCode {
    /** The provider asked us to slow down (HTTP 429, Salesforce {@code REQUEST_LIMIT_EXCEEDED}). */
    RATE_LIMIT(true),
    /** A request or connection timed out. */
    TIMEOUT(true),
    /** The provider answered 5xx or is in maintenance. */
    SERVICE_UNAVAILABLE(true),
    /** The connection was reset or closed mid-exchange. */
    CONNECTION_RESET(true),
    /** The access token expired; refreshing it and replaying the request is expected to work. */
    AUTH_EXPIRED(true),
    /** Authentication was refused and a refresh will not help; the integration needs re-authorisation. */
    AUTHENTICATION_FAILED(false),
    /** The stored credentials are missing, malformed or revoked. */
    INVALID_CREDENTIALS(false),
    /** The record or resource does not exist. */
    NOT_FOUND(false),
    /** The provider rejected the data; retrying the same data cannot succeed. */
    VALIDATION_ERROR(false),
    /** A precondition (ETag, If-Unmodified-Since) failed: the record changed since it was read. */
    CONFLICT(false),
    /** The integration or adapter is configured wrongly; an operator must fix it. */
    CONFIGURATION(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether a job failing with this code is retried with backoff (the seed's retryable list). */
    public boolean retryable() {
        return retryable;
    }
}
