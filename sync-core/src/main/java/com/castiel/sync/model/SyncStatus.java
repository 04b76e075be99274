package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** State of one external relationship after the last sync attempt. */
public enum SyncStatus implements WireNamed {
    SYNCED("synced"),
    PENDING("pending"),
    FAILED("failed"),
    CONFLICT("conflict");

    private final String wire;

    SyncStatus(String wire) {
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
    public static SyncStatus fromWire(String value) {
        return WireEnums.parse(SyncStatus.class, values(), value);
    }
}
