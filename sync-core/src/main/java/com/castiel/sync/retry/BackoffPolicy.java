package com.castiel.sync.retry;

import com.castiel.sync.model.RetrySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a failed job is retried: the seed's {@code RETRY_CONFIG} plus a
 * jitter ratio.
 *
 * <p>The delay after failed attempt {@code n} (1-based) is
 * {@code initialDelay * multiplier^(n-1)}, multiplied by a factor drawn uniformly from
 * {@code [1 - jitter, 1 + jitter]}, and finally capped at {@code maxDelay}. So with the defaults
 * the un-jittered sequence is 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, 5 min, 5 min, 5 min and the
 * tenth failure is final. Jitter spreads retries of jobs that failed together (one provider
 * outage) so they do not return as a herd.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxAttempts attempts in total, including the first; a job whose attempt number reaches
 *     it is dead-lettered instead of retried
 * @param initialDelay delay after the first failure
 * @param maxDelay upper bound of any computed delay (a provider's {@code Retry-After} may exceed
 *     it, see {@link JobFailurePolicy})
 * @param multiplier growth factor per further failure, at least 1
 * @param jitter relative half-width of the random spread, in {@code [0, 1)}
 */
public record BackoffPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

    /** The seed's defaults: 10 attempts, 5 s initial, 5 min maximum, multiplier 2, ±20 % jitter. */
    public static final BackoffPolicy DEFAULT = new BackoffPolicy(10, Duration.ofSeconds(5), Duration.ofMinutes(5), 2.0, 0.2);

    public BackoffPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "retry.initialDelay");
        Objects.requireNonNull(maxDelay, "retry.maxDelay");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("retry.initialDelay must not be negative, was " + initialDelay);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry.maxDelay must not be negative, was " + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("retry.backoffMultiplier must be a finite number of at least 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("retry.jitter must be in [0, 1), was " + jitter);
        }
    }

    /**
     * This policy with an integration's overrides applied; {@code null} (or any {@code null}
     * field) keeps the value of this policy. If the overrides make {@code maxDelay} smaller than
     * {@code initialDelay}, the cap wins and every delay equals {@code maxDelay}.
     */
    public BackoffPolicy overriddenBy(RetrySettings overrides) {
        if (overrides == null) {
            return this;
        }
        return new BackoffPolicy(
                overrides.maxAttempts() != null ? overrides.maxAttempts() : maxAttempts,
                overrides.initialDelayMs() != null ? Duration.ofMillis(overrides.initialDelayMs()) : initialDelay,
                overrides.maxDelayMs() != null ? Duration.ofMillis(overrides.maxDelayMs()) : maxDelay,
                overrides.backoffMultiplier() != null ? overrides.backoffMultiplier() : multiplier,
                jitter);
    }

    /** The un-jittered delay after failed attempt {@code failedAttempt} (1-based), capped. */
    public Duration baseDelay(int failedAttempt) {
        return Duration.ofMillis(Math.round(cappedMillis(rawMillis(failedAttempt))));
    }

    /**
     * The delay after failed attempt {@code failedAttempt} for a uniform random draw
     * {@code unit} in {@code [0, 1)}: {@code 0} gives the shortest, values near {@code 1} the
     * longest, {@code 0.5} exactly the base delay (before the cap).
     */
    public Duration delayAfter(int failedAttempt, double unit) {
        if (!(unit >= 0.0 && unit < 1.0)) {
            throw new IllegalArgumentException("unit must be in [0, 1), was " + unit);
        }
        double factor = 1.0 + jitter * (2.0 * unit - 1.0);
        return Duration.ofMillis(Math.round(cappedMillis(rawMillis(failedAttempt) * factor)));
    }

    /** Whether a job that just failed attempt {@code attempt} has used up its attempts. */
    public boolean exhaustedAfter(int attempt) {
        return attempt >= maxAttempts;
    }

    private double rawMillis(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1, was " + failedAttempt);
        }
        // double arithmetic: multiplier^n overflows long long before the cap stops mattering
        return initialDelay.toMillis() * Math.pow(multiplier, failedAttempt - 1);
    }

    private double cappedMillis(double millis) {
        return Math.min(millis, (double) maxDelay.toMillis());
    }
}
