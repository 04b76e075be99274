package com.castiel.sync.retry;

import com.castiel.sync.model.RetrySettings;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides what happens to a job whose attempt failed: retry later or dead-letter now. A pure
 * function of the attempt number, the error, the retry settings, the clock and the random draw;
 * it touches no queue (see {@link JobSettlement} for that).
 *
 * <p>Rules:
 * <ul>
 *   <li>A {@link SyncException} is retryable exactly when its {@link SyncException#code() code}
 *       is ({@code RATE_LIMIT}, {@code TIMEOUT}, {@code SERVICE_UNAVAILABLE},
 *       {@code CONNECTION_RESET}, and {@code AUTH_EXPIRED}, whose refresh-and-replay normally
 *       happens per request and reaches the job level only if the refresh itself hit a transient
 *       failure). {@code AUTHENTICATION_FAILED}, {@code INVALID_CREDENTIALS}, {@code NOT_FOUND},
 *       {@code VALIDATION_ERROR}, {@code CONFLICT} and {@code CONFIGURATION} dead-letter at
 *       once.</li>
 *   <li>Any other throwable is an {@link DeadLetterReasons#INTERNAL_ERROR}, retried like a
 *       transient failure: it is usually our own storage being briefly unavailable, and a bug
 *       still ends in the dead-letter queue once the attempts are used up.</li>
 *   <li>A retryable failure on attempt {@code n < maxAttempts} is retried as attempt
 *       {@code n + 1} after {@link BackoffPolicy#delayAfter}; when the provider said how long to
 *       wait ({@code Retry-After} on a {@link SyncException.RateLimited} or
 *       {@link SyncException.Transient}) and that is longer, the wait is at least that long, even
 *       beyond {@code maxDelay}: retrying earlier would only be refused again.</li>
 *   <li>On attempt {@code n >= maxAttempts} a retryable failure is dead-lettered as exhausted.</li>
 * </ul>
 *
 * <p>Thread-safe. The random generator is only used under this object's lock, so a
 * non-thread-safe {@link RandomGenerator} (a seeded one in tests) is fine.
 */
public final class JobFailurePolicy {

    private static final int MAX_ERROR_TEXT = 1000;

    private final BackoffPolicy defaults;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param defaults the engine-wide policy that per-integration {@link RetrySettings} override
     * @param clock source of "now" for the retry time
     * @param random source of jitter
     */
    public JobFailurePolicy(BackoffPolicy defaults, Clock clock, RandomGenerator random) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The seed's defaults with a non-deterministic jitter source. */
    public static JobFailurePolicy withDefaults(Clock clock) {
        return new JobFailurePolicy(BackoffPolicy.DEFAULT, clock, RandomGenerator.getDefault());
    }

    /** The engine-wide policy. */
    public BackoffPolicy defaults() {
        return defaults;
    }

    /** The policy in force for an integration with these overrides ({@code null} for none). */
    public BackoffPolicy policyFor(RetrySettings overrides) {
        return defaults.overriddenBy(overrides);
    }

    /**
     * Decides the fate of a failed attempt.
     *
     * @param attempt the attempt that failed, 1-based (values below 1 are treated as 1)
     * @param error what it failed with; never {@code null}
     * @param overrides the integration's retry overrides, or {@code null}
     */
    public FailureDecision decide(int attempt, Throwable error, RetrySettings overrides) {
        Objects.requireNonNull(error, "error");
        int failed = Math.max(1, attempt);
        BackoffPolicy policy = policyFor(overrides);
        String reason = reasonOf(error);
        String lastError = describe(error);
        if (!retryable(error)) {
            return new FailureDecision.DeadLetter(failed, policy.maxAttempts(), false, reason, lastError);
        }
        if (policy.exhaustedAfter(failed)) {
            return new FailureDecision.DeadLetter(failed, policy.maxAttempts(), true, reason, lastError);
        }
        Duration delay = policy.delayAfter(failed, nextUnit());
        Optional<Duration> asked = retryAfter(error);
        if (asked.isPresent() && asked.get().compareTo(delay) > 0) {
            delay = asked.get();
        }
        Instant now = clock.instant();
        return new FailureDecision.Retry(failed, failed + 1, now.plus(delay), delay, reason, lastError);
    }

    /** Whether a failure is worth retrying at all (attempts aside). */
    public static boolean retryable(Throwable error) {
        return !(error instanceof SyncException se) || se.retryable();
    }

    /** The dead-letter reason / metric tag for a failure: its error code, or {@code INTERNAL_ERROR}. */
    public static String reasonOf(Throwable error) {
        return error instanceof SyncException se ? se.code().name() : DeadLetterReasons.INTERNAL_ERROR;
    }

    /**
     * A one-line summary for logs and dead-letter descriptions. SyncException messages are
     * log-safe by contract; for anything else only the type and message are used, never a stack
     * trace or cause chain, and the text is bounded.
     */
    public static String describe(Throwable error) {
        StringBuilder s = new StringBuilder();
        if (error instanceof SyncException se) {
            s.append(se.code().name());
            StringBuilder where = new StringBuilder();
            if (se.provider() != null) {
                where.append(se.provider());
            }
            if (se.httpStatus() > 0) {
                where.append(where.isEmpty() ? "" : ", ").append("HTTP ").append(se.httpStatus());
            }
            if (se.providerCode() != null) {
                where.append(where.isEmpty() ? "" : ", ").append(se.providerCode());
            }
            if (!where.isEmpty()) {
                s.append(" (").append(where).append(')');
            }
        } else {
            s.append(error.getClass().getSimpleName());
        }
        if (error.getMessage() != null) {
            s.append(": ").append(error.getMessage().replace('\n', ' ').replace('\r', ' '));
        }
        return s.length() <= MAX_ERROR_TEXT ? s.toString() : s.substring(0, MAX_ERROR_TEXT - 1) + "…";
    }

    private static Optional<Duration> retryAfter(Throwable error) {
        if (error instanceof SyncException.RateLimited r) {
            return r.retryAfter();
        }
        if (error instanceof SyncException.Transient t) {
            return t.retryAfter();
        }
        return Optional.empty();
    }

    private synchronized double nextUnit() {
        return random.nextDouble();
    }
}
