package com.castiel.sync.ratelimit;

/**
 * How the limiter slows a key down as a provider-reported quota (Salesforce's daily API usage)
 * fills up, so the engine never runs into {@code REQUEST_LIMIT_EXCEEDED}. Below {@code startAt}
 * requests go at full pace; from there the pace falls linearly with the remaining share, down to
 * {@code floor} of the full pace at (or past) the limit.
 *
 * @param startAt used share at which slowing begins, in (0, 1)
 * @param floor the smallest pace factor, in (0, 1]
 */
public record QuotaSlowdown(double startAt, double floor) {

    /** Slow down from 80 % used; never below 2 % of the full pace. */
    public static final QuotaSlowdown DEFAULT = new QuotaSlowdown(0.8, 0.02);

    public QuotaSlowdown {
        if (!(startAt > 0 && startAt < 1)) {
            throw new IllegalArgumentException("startAt must be between 0 and 1, got " + startAt);
        }
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("floor must be in (0, 1], got " + floor);
        }
    }

    /**
     * The pace factor for a used share: 1.0 at full pace; 0.25 at 95 % used with the defaults.
     */
    public double factor(double usedShare) {
        if (usedShare < startAt) {
            return 1.0;
        }
        return Math.max(floor, (1.0 - usedShare) / (1.0 - startAt));
    }
}
