package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a Castiel tenant. Every stored document and every store query is scoped by one.
 *
 * <p>Serialised in JSON as a bare string. The value is never blank.
 */
public record TenantId(@JsonValue String value) {

    public TenantId {
        Ids.requireValid(value, "TenantId");
    }

    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
