package com.castiel.sync.ratelimit;

import com.castiel.sync.model.RateLimitSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The request limits applied to one rate-limit key: every allowance must hold at once (for
 * Salesforce, 25 per second and 100,000 per day).
 *
 * @param allowances at least one; at most one per period
 */
public record ProviderLimits(List<RequestAllowance> allowances) {

    public ProviderLimits {
        allowances = List.copyOf(allowances);
        if (allowances.isEmpty()) {
            throw new IllegalArgumentException("provider limits need at least one allowance");
        }
        if (allowances.stream().map(RequestAllowance::period).distinct().count() != allowances.size()) {
            throw new IllegalArgumentException("provider limits may hold one allowance per period, got " + allowances);
        }
    }

    public static ProviderLimits of(RequestAllowance... allowances) {
        return new ProviderLimits(List.of(allowances));
    }

    /**
     * These limits with an integration's overrides applied: each non-null setting replaces the
     * allowance of its period (or adds one); allowances of other periods are kept.
     */
    public ProviderLimits withOverrides(RateLimitSettings overrides) {
        if (overrides == null) {
            return this;
        }
        List<RequestAllowance> next = new ArrayList<>(allowances);
        if (overrides.requestsPerSecond() != null) {
            replace(next, RequestAllowance.perSecond(overrides.requestsPerSecond()));
        }
        if (overrides.requestsPerMinute() != null) {
            replace(next, RequestAllowance.perMinute(overrides.requestsPerMinute()));
        }
        if (overrides.requestsPerDay() != null) {
            replace(next, RequestAllowance.perDay(overrides.requestsPerDay()));
        }
        return new ProviderLimits(next);
    }

    /**
     * The rate of the shortest window (25/s for Salesforce): the pace that quota slow-down scales
     * down from.
     */
    public double burstRatePerSecond() {
        return allowances.stream().min(Comparator.comparing(RequestAllowance::period)).orElseThrow().requestsPerSecond();
    }

    private static void replace(List<RequestAllowance> list, RequestAllowance allowance) {
        Duration period = allowance.period();
        list.removeIf(a -> a.period().equals(period));
        list.add(allowance);
    }
}
