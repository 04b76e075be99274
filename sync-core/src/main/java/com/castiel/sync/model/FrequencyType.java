package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How an integration's next sync time is computed. */
public enum FrequencyType implements WireNamed {
    INTERVAL("interval"),
    CRON("cron"),
    MANUAL("manual");

    private final String wire;

    FrequencyType(String wire) {
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
    public static FrequencyType fromWire(String value) {
        return WireEnums.parse(FrequencyType.class, values(), value);
    }
}
