package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a field changed on both sides since the last sync is resolved during write-back. */
public enum ConflictResolution implements WireNamed {
    EXTERNAL_WINS("external_wins"),
    CASTIEL_WINS("castiel_wins"),
    NEWEST_WINS("newest_wins"),
    MANUAL("manual");

    private final String wire;

    ConflictResolution(String wire) {
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
    public static ConflictResolution fromWire(String value) {
        return WireEnums.parse(ConflictResolution.class, values(), value);
    }
}
