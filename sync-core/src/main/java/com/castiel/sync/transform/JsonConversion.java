package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code json} fields: the value passes through as it is (objects, arrays, scalars), copied so
 * the shard never shares mutable nodes with the provider record.
 */
final class JsonConversion implements ValueConverter {

    @Override
    public FieldType type() {
        return FieldType.JSON;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        return wireValue.isContainerNode() ? wireValue.deepCopy() : wireValue;
    }

    @Override
    public JsonNode canonical(JsonNode shardValue) {
        return toShard(shardValue);
    }

    @Override
    public JsonNode toExternal(JsonNode canonicalValue) {
        return toShard(canonicalValue);
    }
}
