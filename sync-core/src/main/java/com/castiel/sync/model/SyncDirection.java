package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which way records flow for one external relationship. */
public enum SyncDirection implements WireNamed {
    INBOUND("inbound"),
    OUTBOUND("outbound"),
    BIDIRECTIONAL("bidirectional");

    private final String wire;

    SyncDirection(String wire) {
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
    public static SyncDirection fromWire(String value) {
        return WireEnums.parse(SyncDirection.class, values(), value);
    }
}
