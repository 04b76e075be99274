package com.castiel.sync.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the short, request-level retries the HTTP chain makes for transient failures. Longer
 * outages are the engine's job-level retries; these only smooth over blips.
 *
 * @param maxAttempts exchanges per call, including the first; at least 1
 * @param maxTotalTime no retry is started whose wait would end later than this after the first
 *     attempt began
 * @param initialBackoff wait before the first retry when the provider gave no {@code Retry-After}
 * @param maxBackoff upper bound of one computed backoff (a provider's {@code Retry-After} is
 *     honoured as given, within {@code maxTotalTime})
 * @param multiplier growth of the backoff per attempt; at least 1
 */
public record RequestRetryPolicy(int maxAttempts, Duration maxTotalTime, Duration initialBackoff, Duration maxBackoff,
                                 double multiplier) {

    /** Three attempts within 30 s, backing off 0.5 s, 1 s… up to 5 s. */
    public static final RequestRetryPolicy DEFAULT =
            new RequestRetryPolicy(3, Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(5), 2.0);

    /** One attempt: no request-level retries. */
    public static final RequestRetryPolicy NONE =
            new RequestRetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1.0);

    public RequestRetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        requireNotNegative(maxTotalTime, "maxTotalTime");
        requireNotNegative(initialBackoff, "initialBackoff");
        requireNotNegative(maxBackoff, "maxBackoff");
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
    }

    /** The backoff before retry number {@code retry} (1 for the first retry), before jitter. */
    public Duration backoff(int retry) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
