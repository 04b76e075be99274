package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Outcome of one sync run in the run history. */
public enum RunStatus implements WireNamed {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    PARTIAL("partial"),
    FAILED("failed");

    private final String wire;

    RunStatus(String wire) {
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
    public static RunStatus fromWire(String value) {
        return WireEnums.parse(RunStatus.class, values(), value);
    }
}
