package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies one execution of a sync job, as recorded in the run history.
 *
 * <p>Serialised in JSON as a bare string. The value is never blank.
 */
public record RunId(@JsonValue String value) {

    public RunId {
        Ids.requireValid(value, "RunId");
    }

    @JsonCreator
    public static RunId of(String value) {
        return new RunId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
