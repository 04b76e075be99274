package com.castiel.sync.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * When the seed's alerts fire. An alert fires when its measured value is strictly greater than
 * its threshold.
 *
 * @param failureRate fraction of failed job attempts ({@code 0.10} = the seed's "more than 10 %")
 * @param failureWindowJobs the failure rate looks at this many most recent job attempts…
 * @param failureWindow …that finished within this long before now
 * @param failureMinJobs fewer attempts than this in the window never fire the failure-rate alert
 *     (one failure out of two jobs is not a trend)
 * @param queueBacklog active (visible or locked) messages in one queue; scheduled retries are not
 *     backlog
 * @param tokenRefreshFailures token refresh failures within {@code tokenRefreshWindow}
 *     ({@code 0} = the seed's "any failure")
 * @param tokenRefreshWindow how long a token refresh failure keeps its alert active
 * @param deadLetters dead letters over all queues
 */
public record AlertThresholds(
        double failureRate,
        int failureWindowJobs,
        Duration failureWindow,
        int failureMinJobs,
        long queueBacklog,
        long tokenRefreshFailures,
        Duration tokenRefreshWindow,
        long deadLetters) {

    /** The seed's thresholds: 10 % over the last 100 jobs of the last hour (at least 10), 100 pending, any refresh failure in the last hour, 10 dead letters. */
    public static final AlertThresholds DEFAULT = new AlertThresholds(0.10, 100, Duration.ofHours(1), 10, 100, 0, Duration.ofHours(1), 10);

    public AlertThresholds {
        if (!(failureRate >= 0.0 && failureRate < 1.0)) {
            throw new IllegalArgumentException("alerts.failureRate must be in [0, 1), was " + failureRate);
        }
        if (failureWindowJobs < 1) {
            throw new IllegalArgumentException("alerts.failureWindowJobs must be at least 1, was " + failureWindowJobs);
        }
        requirePositive(failureWindow, "alerts.failureWindow");
        if (failureMinJobs < 1) {
            throw new IllegalArgumentException("alerts.failureMinJobs must be at least 1, was " + failureMinJobs);
        }
        if (queueBacklog < 0 || tokenRefreshFailures < 0 || deadLetters < 0) {
            throw new IllegalArgumentException("alerts.queueBacklog, alerts.tokenRefreshFailures and alerts.deadLetters must not be negative");
        }
        requirePositive(tokenRefreshWindow, "alerts.tokenRefreshWindow");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
