package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Per-integration overrides of the job retry policy; any {@code null} keeps the engine default
 * (10 attempts, 5 s initial delay, 5 min maximum, multiplier 2).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrySettings(Integer maxAttempts, Long initialDelayMs, Long maxDelayMs, Double backoffMultiplier) {

    public RetrySettings {
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1");
        }
        if (initialDelayMs != null && initialDelayMs < 0) {
            throw new IllegalArgumentException("retry.initialDelayMs must not be negative");
        }
        if (maxDelayMs != null && maxDelayMs < 0) {
            throw new IllegalArgumentException("retry.maxDelayMs must not be negative");
        }
        if (backoffMultiplier != null && backoffMultiplier < 1.0) {
            throw new IllegalArgumentException("retry.backoffMultiplier must be at least 1");
        }
    }
}
