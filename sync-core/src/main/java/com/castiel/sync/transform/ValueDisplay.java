package com.castiel.sync.transform;

import com.fasterxml.jackson.databind.JsonNode;

/** Renders a value for an error message: short, unambiguous about its JSON type. */
final class ValueDisplay {

    private static final int MAX_TEXT = 80;

    private ValueDisplay() {
    }

    static String of(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.asText();
    }

    static String quote(String text) {
        if (text.length() <= MAX_TEXT) {
            return "'" + text + "'";
        }
        return "'" + text.substring(0, MAX_TEXT) + "…' (" + text.length() + " characters)";
    }
}
