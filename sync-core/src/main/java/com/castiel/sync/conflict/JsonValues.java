package com.castiel.sync.conflict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * Value equality for mapped field values: numbers compare by value ({@code 1 == 1.0}), and a
 * missing value equals JSON null, because "absent" and "cleared" mean the same for a field.
 */
public final class JsonValues {

    private static final Comparator<JsonNode> NUMERIC_AWARE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonValues() {
    }

    public static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        return a.equals(NUMERIC_AWARE, b);
    }
}
