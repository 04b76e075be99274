package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Declared type of a mapped field; drives conversion in both directions. */
public enum FieldType implements WireNamed {
    STRING("string"),
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    DATE("date"),
    DATETIME("datetime"),
    JSON("json");

    private final String wire;

    FieldType(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code value} is unknown
     */
    @JsonCreator
    public static FieldType fromWire(String value) {
        return WireEnums.parse(FieldType.class, values(), value);
    }
}
