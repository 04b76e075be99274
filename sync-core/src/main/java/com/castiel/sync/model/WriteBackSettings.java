package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Write-back configuration of an integration ({@code writeBack} in the integration document).
 *
 * @param enabled whether shard changes are written back at all
 * @param batchSize maximum records per provider batch call; {@code null} uses the adapter's maximum
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteBackSettings(boolean enabled, Integer batchSize) {

    public WriteBackSettings {
        if (batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("writeBack.batchSize must be at least 1");
        }
    }

    public static WriteBackSettings disabled() {
        return new WriteBackSettings(false, null);
    }

    public static WriteBackSettings enabledWithDefaults() {
        return new WriteBackSettings(true, null);
    }
}
