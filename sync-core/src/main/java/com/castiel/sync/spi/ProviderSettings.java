package com.castiel.sync.spi;

import java.util.Map;
import java.util.Optional;

/**
 * The non-secret settings of one integration for its adapter ({@code instanceUrl},
 * {@code loginUrl}, {@code apiVersion}, {@code orgId}…), as configured in the integration's
 * {@code structuredData.settings}. Immutable; a {@code null} map reads as empty, and a blank
 * value counts as absent.
 *
 * @param provider provider id, used in error messages
 * @param values setting name → value
 */
public record ProviderSettings(String provider, Map<String, String> values) {

    public ProviderSettings {
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    /**
     * A required setting.
     *
     * @throws SyncException.Configuration naming the missing key
     */
    public String required(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new SyncException.Configuration("setting '" + key + "' is required for provider " + provider,
                    SyncException.Details.of(provider, 0, null));
        }
        return v;
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String orDefault(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    /**
     * An integer setting.
     *
     * @throws SyncException.Configuration naming the key when the value is not an integer
     */
    public int intValue(String key, int fallback) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new SyncException.Configuration("setting '" + key + "' must be an integer, got '" + v.get() + "'",
                    SyncException.Details.of(provider, 0, null));
        }
    }
}
