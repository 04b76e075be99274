package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Per-integration overrides of the provider's request limits; any {@code null} keeps the
 * provider default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimitSettings(Integer requestsPerSecond, Integer requestsPerMinute, Long requestsPerDay) {

    public RateLimitSettings {
        if (requestsPerSecond != null && requestsPerSecond < 1) {
            throw new IllegalArgumentException("rateLimits.requestsPerSecond must be at least 1");
        }
        if (requestsPerMinute != null && requestsPerMinute < 1) {
            throw new IllegalArgumentException("rateLimits.requestsPerMinute must be at least 1");
        }
        if (requestsPerDay != null && requestsPerDay < 1) {
            throw new IllegalArgumentException("rateLimits.requestsPerDay must be at least 1");
        }
    }
}
