package com.castiel.sync.testkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The schema of one entity of the reference provider: its fields and their types, which fields
 * a create must set, and which fields hold unique values (usable as upsert keys). The server
 * validates every write against it and names the offending field in the error.
 *
 * @param name entity name as it appears in paths ({@code /v1/contacts})
 * @param fields field name → type
 * @param required fields a create must set to a non-null value, and an update may not null
 * @param unique fields no two live records may share a non-null value of
 */
public record ReferenceEntity(String name, Map<String, Type> fields, Set<String> required, Set<String> unique) {

    /** Field types: JSON strings, numbers and booleans; every field may also be null. */
    public enum Type {
        STRING, NUMBER, BOOLEAN;

        /** Whether {@code value} (not null) has this type. */
        boolean accepts(JsonNode value) {
            return switch (this) {
                case STRING -> value.isTextual();
                case NUMBER -> value.isNumber();
                case BOOLEAN -> value.isBoolean();
            };
        }
    }

    public ReferenceEntity {
        Objects.requireNonNull(name, "name");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        required = Set.copyOf(required);
        unique = Set.copyOf(unique);
        for (String f : required) {
            if (!fields.containsKey(f)) {
                throw new IllegalArgumentException("required field '" + f + "' is not declared in " + name);
            }
        }
        for (String f : unique) {
            if (!fields.containsKey(f)) {
                throw new IllegalArgumentException("unique field '" + f + "' is not declared in " + name);
            }
        }
    }

    /**
     * The entity every reference server starts with: {@code contacts} with {@code name}
     * (string, required), {@code email} (string), {@code score} (number), {@code active}
     * (boolean) and {@code external_key} (string, unique: the upsert key).
     */
    public static ReferenceEntity contacts() {
        Map<String, Type> fields = new LinkedHashMap<>();
        fields.put("name", Type.STRING);
        fields.put("email", Type.STRING);
        fields.put("score", Type.NUMBER);
        fields.put("active", Type.BOOLEAN);
        fields.put("external_key", Type.STRING);
        return new ReferenceEntity("contacts", fields, Set.of("name"), Set.of("external_key"));
    }
}
