package com.castiel.sync.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The most recent job outcomes (success or failure, with their time), kept in a fixed-size ring
 * so the failure-rate alert can look at "the last N jobs of the last T" without a metrics
 * backend.
 *
 * <p>Thread-safe; memory is fixed by the capacity.
 */
public final class JobOutcomeWindow {

    private final long[] times;
    private final boolean[] failures;
    private int next;
    private int size;

    /** @param capacity most outcomes remembered */
    public JobOutcomeWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.times = new long[capacity];
        this.failures = new boolean[capacity];
    }

    public int capacity() {
        return times.length;
    }

    /** Records one finished job attempt. */
    public synchronized void record(Instant at, boolean failed) {
        times[next] = at.toEpochMilli();
        failures[next] = failed;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /**
     * Counts over the newest {@code lastJobs} outcomes that finished within {@code within} before
     * {@code now}.
     */
    public synchronized Counts recent(int lastJobs, Duration within, Instant now) {
        Objects.requireNonNull(within, "within");
        long oldest = now.minus(within).toEpochMilli();
        int total = 0;
        int failed = 0;
        int look = Math.min(Math.max(0, lastJobs), size);
        for (int i = 1; i <= look; i++) {
            int idx = Math.floorMod(next - i, times.length);
            if (times[idx] < oldest) {
                // not break: a clock stepped backwards can leave newer entries further back
                continue;
            }
            total++;
            if (failures[idx]) {
                failed++;
            }
        }
        return new Counts(total, failed);
    }

    /**
     * Job counts in a window.
     *
     * @param total finished attempts
     * @param failed of which failed
     */
    public record Counts(int total, int failed) {

        /** {@code failed / total}, 0 when there were none. */
        public double failureRate() {
            return total == 0 ? 0.0 : (double) failed / total;
        }
    }
}
