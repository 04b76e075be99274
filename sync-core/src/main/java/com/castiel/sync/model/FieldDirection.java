package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a single field mapping applies. */
public enum FieldDirection implements WireNamed {
    IN("in"),
    OUT("out"),
    BOTH("both");

    private final String wire;

    FieldDirection(String wire) {
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
    public static FieldDirection fromWire(String value) {
        return WireEnums.parse(FieldDirection.class, values(), value);
    }
}
