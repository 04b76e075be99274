package com.castiel.sync.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to do with a job whose attempt failed, as decided by {@link JobFailurePolicy} and applied
 * by {@link JobSettlement}.
 */
public sealed interface FailureDecision {

    /**
     * Machine-readable reason: the failure's {@link com.castiel.sync.spi.ErrorCode} name, or one
     * of {@link DeadLetterReasons}' engine reasons for failures that are not
     * {@link com.castiel.sync.spi.SyncException}s.
     */
    String reason();

    /** A log-safe one-line summary of the failure (code, provider, HTTP status, message). */
    String lastError();

    /** The attempt that failed (1-based). */
    int attempt();

    /** Whether the job will run again. */
    default boolean willRetry() {
        return this instanceof Retry;
    }

    /**
     * Run the job again as attempt {@code nextAttempt}, not before {@code at}.
     *
     * @param attempt the attempt that failed
     * @param nextAttempt {@code attempt + 1}
     * @param at when the next attempt becomes visible ({@code now + delay})
     * @param delay backoff with jitter, or the provider's {@code Retry-After} when longer
     * @param reason error code name
     * @param lastError log-safe summary
     */
    record Retry(int attempt, int nextAttempt, Instant at, Duration delay, String reason, String lastError) implements FailureDecision {
        public Retry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Give up: move the job to its queue's dead-letter sub-queue.
     *
     * @param attempt the attempt that failed
     * @param maxAttempts the attempts the job was allowed
     * @param exhausted true when the failure was retryable but the attempts are used up; false
     *     when the failure is not retryable
     * @param reason error code name, used as the dead-letter reason
     * @param lastError log-safe summary
     */
    record DeadLetter(int attempt, int maxAttempts, boolean exhausted, String reason, String lastError) implements FailureDecision {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * The dead-letter description: attempt count, last error and correlation id, bounded to
         * the 4096 characters Service Bus accepts.
         */
        public String description(String correlationId) {
            String why = exhausted
                    ? "gave up after attempt " + attempt + " of " + maxAttempts
                    : "non-retryable failure on attempt " + attempt + " of " + maxAttempts;
            String text = why + "; last error: " + lastError + "; correlationId=" + correlationId;
            return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
        }

        private static final int MAX_DESCRIPTION = 4096;
    }
}
