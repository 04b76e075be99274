package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * Maps one external field to one shard field.
 *
 * @param externalField field name on the external record; a dotted path ({@code Owner.Name})
 *     reads a nested object
 * @param shardField dotted path inside the shard's {@code structuredData}
 * @param direction whether the mapping is used inbound, outbound or both
 * @param type declared type; values are converted to it inbound and back outbound
 * @param format optional format for dates and datetimes ({@code salesforce}, {@code iso8601},
 *     {@code epoch_millis}, {@code epoch_seconds} or a {@link java.time.format.DateTimeFormatter}
 *     pattern); {@code null} means ISO 8601 and lenient parsing of the providers' formats
 * @param valueMap external value → shard value, for picklists and enums; the reverse map is
 *     used outbound. Empty means values pass through.
 * @param defaultValue value used when the external field is absent or null; {@code null} means none
 * @param required when true, a missing value fails the record instead of being skipped
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FieldMapping(
        String externalField,
        String shardField,
        FieldDirection direction,
        FieldType type,
        String format,
        Map<String, String> valueMap,
        @JsonProperty("default") JsonNode defaultValue,
        boolean required) {

    public FieldMapping {
        Objects.requireNonNull(externalField, "externalField");
        Objects.requireNonNull(shardField, "shardField");
        if (externalField.isBlank() || shardField.isBlank()) {
            throw new IllegalArgumentException("field mapping needs both externalField and shardField");
        }
        direction = direction == null ? FieldDirection.BOTH : direction;
        type = type == null ? FieldType.STRING : type;
        valueMap = valueMap == null ? Map.of() : Map.copyOf(valueMap);
    }

    /** A string mapping used in both directions. */
    public static FieldMapping of(String externalField, String shardField) {
        return new FieldMapping(externalField, shardField, FieldDirection.BOTH, FieldType.STRING, null, Map.of(), null, false);
    }

    /** A typed mapping used in both directions. */
    public static FieldMapping of(String externalField, String shardField, FieldType type) {
        return new FieldMapping(externalField, shardField, FieldDirection.BOTH, type, null, Map.of(), null, false);
    }

    public FieldMapping withDirection(FieldDirection newDirection) {
        return new FieldMapping(externalField, shardField, newDirection, type, format, valueMap, defaultValue, required);
    }

    public FieldMapping withFormat(String newFormat) {
        return new FieldMapping(externalField, shardField, direction, type, newFormat, valueMap, defaultValue, required);
    }

    public FieldMapping withValueMap(Map<String, String> newValueMap) {
        return new FieldMapping(externalField, shardField, direction, type, format, newValueMap, defaultValue, required);
    }

    public FieldMapping withDefault(JsonNode newDefault) {
        return new FieldMapping(externalField, shardField, direction, type, format, valueMap, newDefault, required);
    }

    public FieldMapping asRequired() {
        return new FieldMapping(externalField, shardField, direction, type, format, valueMap, defaultValue, true);
    }

    /** True when this mapping applies to inbound syncs. */
    public boolean inbound() {
        return direction != FieldDirection.OUT;
    }

    /** True when this mapping applies to write-back. */
    public boolean outbound() {
        return direction != FieldDirection.IN;
    }
}
