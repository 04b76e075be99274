package com.castiel.sync.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit of a provider: at most {@code requests} requests in any {@code period}.
 *
 * @param requests requests allowed per period; at least 1
 * @param period the window; positive
 */
public record RequestAllowance(long requests, Duration period) {

    public RequestAllowance {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1, got " + requests);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
    }

    public static RequestAllowance perSecond(long requests) {
        return new RequestAllowance(requests, Duration.ofSeconds(1));
    }

    public static RequestAllowance perMinute(long requests) {
        return new RequestAllowance(requests, Duration.ofMinutes(1));
    }

    public static RequestAllowance perDay(long requests) {
        return new RequestAllowance(requests, Duration.ofDays(1));
    }

    /** The sustained rate this allowance permits. */
    public double requestsPerSecond() {
        return requests / (period.toNanos() / 1e9);
    }
}
