package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Comparison used by a pull filter; adapters translate it to the provider's query language. */
public enum FilterOperator implements WireNamed {
    EQ("eq"),
    NE("ne"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte"),
    IN("in"),
    LIKE("like");

    private final String wire;

    FilterOperator(String wire) {
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
    public static FilterOperator fromWire(String value) {
        return WireEnums.parse(FilterOperator.class, values(), value);
    }
}
