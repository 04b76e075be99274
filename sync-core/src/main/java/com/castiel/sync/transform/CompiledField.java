package com.castiel.sync.transform;

import com.castiel.sync.model.FieldMapping;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@link FieldMapping} with everything a record needs precomputed: parsed paths, the
 * converter, the default in canonical form and both directions of the value map with their
 * values already converted. Immutable.
 */
final class CompiledField {

    final FieldMapping mapping;
    final String externalField;
    final String shardField;
    final FieldPath externalPath;
    final FieldPath shardPath;
    final ValueConverter converter;
    /** Canonical default, or {@code null} when none is configured. */
    final JsonNode defaultValue;
    /** External value text to canonical shard value; JSON null when the mapped value is blank. */
    private final Map<String, JsonNode> forward;
    /** Canonical text of a shard value to the external wire value. */
    private final Map<String, JsonNode> reverse;

    private CompiledField(FieldMapping mapping, FieldPath externalPath, FieldPath shardPath, ValueConverter converter,
            JsonNode defaultValue, Map<String, JsonNode> forward, Map<String, JsonNode> reverse) {
        this.mapping = mapping;
        this.externalField = mapping.externalField();
        this.shardField = mapping.shardField();
        this.externalPath = externalPath;
        this.shardPath = shardPath;
        this.converter = converter;
        this.defaultValue = defaultValue;
        this.forward = forward;
        this.reverse = reverse;
    }

    /**
     * Compiles a mapping.
     *
     * @throws IllegalArgumentException describing the first problem: a malformed path, a format
     *     that does not apply, a default or value-map entry the type cannot hold
     */
    static CompiledField compile(FieldMapping mapping) {
        FieldPath externalPath = FieldPath.of(mapping.externalField());
        FieldPath shardPath = FieldPath.of(mapping.shardField());
        ValueConverter converter = Conversions.forType(mapping.type(), mapping.format());

        JsonNode defaultValue = null;
        if (mapping.defaultValue() != null && !mapping.defaultValue().isNull()) {
            defaultValue = canonicalOrFail(converter, mapping.defaultValue(), "default");
            if (defaultValue.isNull()) {
                throw new IllegalArgumentException("default " + ValueDisplay.of(mapping.defaultValue()) + " is blank");
            }
        }

        Map<String, JsonNode> forward = Map.of();
        Map<String, JsonNode> reverse = Map.of();
        if (!mapping.valueMap().isEmpty()) {
            forward = new HashMap<>();
            reverse = new HashMap<>();
            // sorted so that when several external values map to one shard value, write-back picks
            // the same one (the first in code-unit order) in every JVM; the model's map has no order
            for (Map.Entry<String, String> entry : new TreeMap<>(mapping.valueMap()).entrySet()) {
                JsonNode shardValue = canonicalOrFail(converter, TextNode.valueOf(entry.getValue()),
                        "valueMap entry '" + entry.getKey() + "'");
                forward.put(entry.getKey(), shardValue);
                if (!shardValue.isNull()) {
                    reverse.putIfAbsent(CanonicalJson.text(shardValue), wireValue(converter, entry.getKey()));
                }
            }
        }
        return new CompiledField(mapping, externalPath, shardPath, converter, defaultValue, Map.copyOf(forward), Map.copyOf(reverse));
    }

    private static JsonNode canonicalOrFail(ValueConverter converter, JsonNode value, String what) {
        try {
            return converter.canonical(value);
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode wireValue(ValueConverter converter, String externalValue) {
        if (converter instanceof TextConversion text && text.numericWire()) {
            try {
                return TextConversion.numberOf(externalValue);
            } catch (InvalidValueException e) {
                throw new IllegalArgumentException("valueMap key: " + e.getMessage(), e);
            }
        }
        return TextNode.valueOf(externalValue);
    }

    /**
     * Converts a present, non-null provider value: the value map first, then the type.
     *
     * @return the canonical shard value, JSON null when it means "no value"
     * @throws InvalidValueException when the value does not fit the type
     */
    JsonNode inbound(JsonNode raw) {
        if (!forward.isEmpty() && raw.isValueNode()) {
            JsonNode mapped = forward.get(raw.isTextual() ? raw.textValue() : raw.asText());
            if (mapped != null) {
                return mapped;
            }
        }
        return converter.toShard(raw);
    }

    /**
     * Converts a present, non-null shard value to the wire: canonical form, then the reverse value
     * map, then the wire format.
     *
     * @throws InvalidValueException when the value does not fit the type or the wire format
     */
    JsonNode outbound(JsonNode shardValue) {
        JsonNode canonical = converter.canonical(shardValue);
        if (canonical.isNull()) {
            return canonical;
        }
        if (!reverse.isEmpty()) {
            JsonNode mapped = reverse.get(CanonicalJson.text(canonical));
            if (mapped != null) {
                return mapped;
            }
        }
        return converter.toExternal(canonical);
    }
}
