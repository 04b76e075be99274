package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle state of an integration; only {@code active} integrations are scheduled. */
public enum IntegrationStatus implements WireNamed {
    ACTIVE("active"),
    PAUSED("paused"),
    NEEDS_REAUTH("needs_reauth");

    private final String wire;

    IntegrationStatus(String wire) {
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
    public static IntegrationStatus fromWire(String value) {
        return WireEnums.parse(IntegrationStatus.class, values(), value);
    }
}
