package com.castiel.sync.adapters.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.castiel.sync.model.SyncJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The first error of a Salesforce error body. REST calls answer a JSON array
 * {@code [{"message","errorCode","fields"}]}; sObject Collections items use {@code statusCode}
 * instead of {@code errorCode}; the token endpoint answers {@code {"error","error_description"}}.
 * Unknown or unreadable bodies give an empty error rather than failing: classification then
 * falls back to the HTTP status.
 *
 * @param code the error code, or {@code null}
 * @param message the message, possibly empty; never contains request secrets (Salesforce does
 *     not echo them)
 * @param fields the fields named, possibly empty
 */
record ErrorBody(String code, String message, List<String> fields) {

    private static final int MAX_MESSAGE = 300;

    ErrorBody {
        message = message == null ? "" : abbreviate(message);
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    static ErrorBody parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new ErrorBody(null, "", List.of());
        }
        try {
            return of(SyncJson.mapper().readTree(body));
        } catch (IOException e) {
            return new ErrorBody(null, "", List.of());
        }
    }

    /** The first error of a parsed body (array, single error object, or token error). */
    static ErrorBody of(JsonNode node) {
        if (node == null) {
            return new ErrorBody(null, "", List.of());
        }
        JsonNode first = node.isArray() ? (node.isEmpty() ? null : node.get(0)) : node;
        if (first == null || !first.isObject()) {
            return new ErrorBody(null, "", List.of());
        }
        String code = text(first, "errorCode");
        if (code == null) {
            code = text(first, "statusCode");
        }
        String message = text(first, "message");
        if (code == null && first.has("error")) {
            code = text(first, "error");
            message = text(first, "error_description");
        }
        List<String> fields = new ArrayList<>();
        first.path("fields").forEach(f -> fields.add(f.asText()));
        return new ErrorBody(code, message, fields);
    }

    /** The first field named, or {@code null}. */
    String field() {
        return fields.isEmpty() ? null : fields.get(0);
    }

    /** {@code CODE: message} for exception messages. */
    String describe() {
        return (code == null ? "no error code" : code) + (message.isEmpty() ? "" : ": " + message);
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ').strip();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
