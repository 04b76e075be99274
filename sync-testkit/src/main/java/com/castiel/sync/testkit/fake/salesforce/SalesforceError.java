package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.fake.FakeResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A refusal inside the fake, rendered the way Salesforce renders it: on single-resource calls a
 * JSON array {@code [{"message","errorCode","fields"}]} with the HTTP status, inside sObject
 * Collections results an item {@code {"statusCode","message","fields"}} (the collections key is
 * {@code statusCode}, not {@code errorCode}).
 *
 * <p>Control flow inside the fake only; the REST routes turn it into a response.
 */
final class SalesforceError extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final List<String> fields;

    SalesforceError(int status, String errorCode, String message, List<String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.fields = fields == null ? null : List.copyOf(fields);
    }

    SalesforceError(int status, String errorCode, String message) {
        this(status, errorCode, message, null);
    }

    static SalesforceError notFound() {
        return new SalesforceError(404, "NOT_FOUND", "The requested resource does not exist");
    }

    static SalesforceError malformedQuery(String message) {
        return new SalesforceError(400, "MALFORMED_QUERY", message);
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    /** The REST error response: a one-element array. */
    FakeResponse response() {
        ArrayNode body = SyncJson.mapper().createArrayNode();
        ObjectNode e = body.addObject();
        e.put("message", getMessage());
        e.put("errorCode", errorCode);
        if (fields != null) {
            ArrayNode f = e.putArray("fields");
            fields.forEach(f::add);
        }
        return FakeResponse.json(status, body);
    }

    /** The error item of an sObject Collections result. */
    ObjectNode collectionItem() {
        ObjectNode e = SyncJson.object();
        e.put("statusCode", errorCode);
        e.put("message", getMessage());
        ArrayNode f = e.putArray("fields");
        if (fields != null) {
            fields.forEach(f::add);
        }
        return e;
    }
}
