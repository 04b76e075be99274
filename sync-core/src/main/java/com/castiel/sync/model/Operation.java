package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Write-back operation carried in {@code WriteBackMessage.operation}. */
public enum Operation implements WireNamed {
    CREATE("create"),
    UPDATE("update"),
    DELETE("delete");

    private final String wire;

    Operation(String wire) {
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
    public static Operation fromWire(String value) {
        return WireEnums.parse(Operation.class, values(), value);
    }
}
