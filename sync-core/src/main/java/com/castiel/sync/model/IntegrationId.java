package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies one configured connection between a tenant and an external system.
 *
 * <p>Serialised in JSON as a bare string. The value is never blank.
 */
public record IntegrationId(@JsonValue String value) {

    public IntegrationId {
        Ids.requireValid(value, "IntegrationId");
    }

    @JsonCreator
    public static IntegrationId of(String value) {
        return new IntegrationId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
