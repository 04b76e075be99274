package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an inbound sync does to a shard whose external record was deleted. */
public enum DeleteBehavior implements WireNamed {
    IGNORE("ignore"),
    UNLINK("unlink"),
    SOFT_DELETE("soft_delete"),
    DELETE("delete");

    private final String wire;

    DeleteBehavior(String wire) {
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
    public static DeleteBehavior fromWire(String value) {
        return WireEnums.parse(DeleteBehavior.class, values(), value);
    }
}
