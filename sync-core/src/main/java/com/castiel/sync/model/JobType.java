package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kind of inbound sync job, as carried in {@code SyncJobMessage.jobType}. */
public enum JobType implements WireNamed {
    FULL_SYNC("full_sync"),
    INCREMENTAL("incremental"),
    WEBHOOK("webhook");

    private final String wire;

    JobType(String wire) {
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
    public static JobType fromWire(String value) {
        return WireEnums.parse(JobType.class, values(), value);
    }
}
