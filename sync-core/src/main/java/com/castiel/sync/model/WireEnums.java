package com.castiel.sync.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsing of the lowercase wire names used by the model's enums. */
final class WireEnums {

    private WireEnums() {
    }

    static <E extends Enum<E> & WireNamed> E parse(Class<E> type, E[] values, String value) {
        if (value != null) {
            for (E e : values) {
                if (e.wire().equalsIgnoreCase(value) || e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
        }
        String accepted = Arrays.stream(values).map(WireNamed::wire).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "'" + value + "' is not a valid " + type.getSimpleName() + "; expected one of: " + accepted);
    }
}
