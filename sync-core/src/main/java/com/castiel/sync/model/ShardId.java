package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a Castiel shard (a tenant-scoped JSON document).
 *
 * <p>Serialised in JSON as a bare string. The value is never blank.
 */
public record ShardId(@JsonValue String value) {

    public ShardId {
        Ids.requireValid(value, "ShardId");
    }

    @JsonCreator
    public static ShardId of(String value) {
        return new ShardId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
