package com.castiel.sync.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One shard field changed on both sides since the last sync, as parked for manual resolution.
 * Values are shard-side (already mapped); {@code null} stands for absent.
 *
 * @param field shard field path
 * @param baseValue value at the last sync
 * @param castielValue current shard value
 * @param externalValue current external value, mapped inbound
 */
public record FieldConflict(String field, JsonNode baseValue, JsonNode castielValue, JsonNode externalValue) {

    public FieldConflict {
        Objects.requireNonNull(field, "field");
    }
}
