package com.castiel.sync.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The root of every failure that crosses the adapter SPI. Adapters translate provider failures
 * into exactly one of the permitted subtypes at the edge; the engine decides what to do
 * (retry, refresh, dead-letter, fail one record). Provider details become fields, not
 * subclasses.
 *
 * <p>Messages must be safe to log: never include tokens, secrets or full request bodies.
 * Unchecked by design; the SPI never declares checked exceptions.
 */
public abstract sealed class SyncException extends RuntimeException {

    private final ErrorCode code;
    private final String provider;
    private final int httpStatus;
    private final String providerCode;

    SyncException(ErrorCode code, String message, Details details, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.provider = details.provider();
        this.httpStatus = details.httpStatus();
        this.providerCode = details.providerCode();
    }

    /** The seed-vocabulary code. */
    public ErrorCode code() {
        return code;
    }

    /** Whether the engine should retry the job (possibly after a delay). */
    public boolean retryable() {
        return code.retryable();
    }

    /** Provider id that raised it, or {@code null}. */
    public String provider() {
        return provider;
    }

    /** HTTP status of the failed exchange, 0 when none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Provider error code ({@code INVALID_SESSION_ID}, {@code MALFORMED_ID}…), or {@code null}. */
    public String providerCode() {
        return providerCode;
    }

    /**
     * Where a failure came from; all parts optional.
     *
     * @param provider provider id
     * @param httpStatus HTTP status, 0 when none
     * @param providerCode provider's own error code
     */
    public record Details(String provider, int httpStatus, String providerCode) {

        public static final Details NONE = new Details(null, 0, null);

        public static Details of(String provider, int httpStatus, String providerCode) {
            return new Details(provider, httpStatus, providerCode);
        }
    }

    /** The provider asked us to slow down; retry after {@link #retryAfter()} when known. */
    public static final class RateLimited extends SyncException {
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter, Details details) {
            super(ErrorCode.RATE_LIMIT, message, details, null);
            this.retryAfter = retryAfter;
        }

        /** The provider's requested pause ({@code Retry-After}), empty when it gave none. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** A failure expected to pass: timeouts, 5xx, connection resets. */
    public static final class Transient extends SyncException {
        private final Duration retryAfter;

        public Transient(ErrorCode code, String message, Duration retryAfter, Details details, Throwable cause) {
            super(requireTransient(code), message, details, cause);
            this.retryAfter = retryAfter;
        }

        public Transient(ErrorCode code, String message, Details details) {
            this(code, message, null, details, null);
        }

        /** A {@code Retry-After} the provider sent with the failure (503), if any. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        private static ErrorCode requireTransient(ErrorCode code) {
            if (code != ErrorCode.TIMEOUT && code != ErrorCode.SERVICE_UNAVAILABLE && code != ErrorCode.CONNECTION_RESET) {
                throw new IllegalArgumentException("not a transient code: " + code);
            }
            return code;
        }
    }

    /** The access token expired: the engine refreshes once and replays the request. */
    public static final class AuthExpired extends SyncException {
        public AuthExpired(String message, Details details) {
            super(ErrorCode.AUTH_EXPIRED, message, details, null);
        }
    }

    /** Authentication was refused for good: the integration needs re-authorisation. */
    public static final class AuthFailed extends SyncException {
        public AuthFailed(ErrorCode code, String message, Details details) {
            super(requireAuth(code), message, details, null);
        }

        public AuthFailed(String message, Details details) {
            this(ErrorCode.AUTHENTICATION_FAILED, message, details);
        }

        private static ErrorCode requireAuth(ErrorCode code) {
            if (code != ErrorCode.AUTHENTICATION_FAILED && code != ErrorCode.INVALID_CREDENTIALS) {
                throw new IllegalArgumentException("not an authentication code: " + code);
            }
            return code;
        }
    }

    /** The record or resource does not exist. */
    public static final class NotFound extends SyncException {
        public NotFound(String message, Details details) {
            super(ErrorCode.NOT_FOUND, message, details, null);
        }
    }

    /**
     * The provider (or a transform) rejected one record's data. Non-retryable; fails that record
     * alone. {@link #field()} names the field at fault when known.
     */
    public static final class Validation extends SyncException {
        private final String field;

        public Validation(String message, String field, Details details) {
            super(ErrorCode.VALIDATION_ERROR, message, details, null);
            this.field = field;
        }

        /** The field at fault, or {@code null}. */
        public String field() {
            return field;
        }
    }

    /** A write precondition failed: the external record changed since it was read. */
    public static final class Conflict extends SyncException {
        public Conflict(String message, Details details) {
            super(ErrorCode.CONFLICT, message, details, null);
        }
    }

    /** The integration or adapter is misconfigured; the message names the setting to fix. */
    public static final class Configuration extends SyncException {
        public Configuration(String message, Details details) {
            super(ErrorCode.CONFIGURATION, message, details, null);
        }

        public Configuration(String message) {
            this(message, Details.NONE);
        }
    }
}
