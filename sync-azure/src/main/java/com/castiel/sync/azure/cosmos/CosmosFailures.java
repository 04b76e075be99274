package com.castiel.sync.azure.cosmos;

import com.azure.cosmos.CosmosException;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.time.Duration;

/**
 * Cosmos status codes the stores act on, and the translation of the others into the engine's
 * failures: throttling and unavailability become retryable {@link SyncException}s (the job is
 * retried with backoff), anything else a {@link CosmosStoreException}.
 */
final class CosmosFailures {

    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int PRECONDITION_FAILED = 412;
    static final int FAILED_DEPENDENCY = 424;

    private CosmosFailures() {
    }

    static boolean is(CosmosException e, int status) {
        return e.getStatusCode() == status;
    }

    /** A failure of {@code operation} that the store does not handle itself. */
    static RuntimeException translate(String operation, CosmosException e) {
        int status = e.getStatusCode();
        SyncException.Details details = SyncException.Details.of("cosmos", status, Integer.toString(e.getSubStatusCode()));
        String message = "Cosmos DB " + operation + " failed with status " + status + "/" + e.getSubStatusCode();
        return switch (status) {
            case 429 -> new SyncException.RateLimited(message, retryAfter(e), details);
            case 408 -> new SyncException.Transient(ErrorCode.TIMEOUT, message, retryAfter(e), details, e);
            case 410, 449, 500, 503 -> new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, retryAfter(e), details, e);
            default -> new CosmosStoreException(message, status, e);
        };
    }

    private static Duration retryAfter(CosmosException e) {
        Duration d = e.getRetryAfterDuration();
        return d == null || d.isZero() ? null : d;
    }
}
