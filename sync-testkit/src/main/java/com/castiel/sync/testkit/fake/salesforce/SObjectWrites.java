package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Record writes with the checks Salesforce makes, shared by the sObject resources and sObject
 * Collections: unknown fields ({@code INVALID_FIELD}), read-only fields
 * ({@code INVALID_FIELD_FOR_INSERT_UPDATE}), values of the wrong type
 * ({@code JSON_PARSER_ERROR}), missing required fields ({@code REQUIRED_FIELD_MISSING}),
 * malformed or dangling references ({@code MALFORMED_ID}, {@code INVALID_CROSS_REFERENCE_KEY}),
 * taken unique values ({@code DUPLICATE_VALUE}). Field names match case-insensitively and are
 * stored in their canonical spelling. Thread-safe (the store serialises writes).
 */
final class SObjectWrites {

    /**
     * The outcome of an upsert by external id.
     *
     * @param id the record written, or {@code null} when several matched
     * @param created whether it was inserted
     * @param matches the ids of every matching record when there were several (answered 300)
     */
    record UpsertOutcome(String id, boolean created, List<String> matches) {
    }

    private final SObjectStore store;

    SObjectWrites(SObjectStore store) {
        this.store = store;
    }

    StoredRecord create(SObjectType type, JsonNode body) {
        ObjectNode fields = validate(type, body, true, null);
        return store.create(type, fields);
    }

    StoredRecord update(SObjectType type, String id18, JsonNode body, Predicate<StoredRecord> precondition) {
        store.requireLive(type, id18);
        ObjectNode fields = validate(type, body, false, null);
        return store.update(type, id18, fields, precondition);
    }

    StoredRecord delete(SObjectType type, String id18) {
        return store.delete(type, id18);
    }

    /**
     * Creates or updates the record whose external-id {@code fieldName} holds {@code value}.
     *
     * @throws SalesforceError 404 {@code NOT_FOUND} when the field is not an external id of the type
     */
    UpsertOutcome upsert(SObjectType type, String fieldName, String value, JsonNode body) {
        SObjectField field = type.writableField(fieldName).filter(SObjectField::externalId)
                .orElseThrow(() -> new SalesforceError(404, "NOT_FOUND",
                        "Provided external ID field does not exist or is not accessible: " + fieldName));
        synchronized (store) {
            List<String> matches = store.findByExternalId(type, field, value);
            if (matches.size() > 1) {
                return new UpsertOutcome(null, false, matches);
            }
            if (matches.isEmpty()) {
                ObjectNode fields = validate(type, body, true, field);
                fields.put(field.name(), value);
                return new UpsertOutcome(store.create(type, fields).id(), true, List.of());
            }
            ObjectNode fields = validate(type, body, false, field);
            return new UpsertOutcome(store.update(type, matches.get(0), fields, r -> true).id(), false, List.of());
        }
    }

    /**
     * Checks a request body and returns its fields in canonical spelling and storage form.
     *
     * @param create whether required fields must be present
     * @param upsertField the external-id field of an upsert, which the body may repeat
     */
    ObjectNode validate(SObjectType type, JsonNode body, boolean create, SObjectField upsertField) {
        if (body == null || !body.isObject()) {
            throw new SalesforceError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object of " + type.name() + " fields");
        }
        ObjectNode out = SyncJson.object();
        List<String> readOnly = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String name = e.getKey();
            if (name.equals("attributes")) {
                continue;
            }
            Optional<SObjectField> writable = type.writableField(name);
            if (writable.isEmpty()) {
                if (type.field(name).isPresent()) {
                    if (!(create && name.equalsIgnoreCase("Id") && e.getValue().isNull())) {
                        readOnly.add(type.field(name).get().name());
                    }
                    continue;
                }
                throw new SalesforceError(400, "INVALID_FIELD", "No such column '" + name + "' on sobject of type " + type.name());
            }
            SObjectField field = writable.get();
            if (upsertField != null && field.name().equals(upsertField.name())) {
                continue;
            }
            out.set(field.name(), convert(type, field, e.getValue()));
        }
        if (!readOnly.isEmpty()) {
            throw new SalesforceError(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                    + String.join(", ", readOnly) + ". Please check the security settings of this field and verify that it is "
                    + "read/write for your profile or permission set.", readOnly);
        }
        List<String> missing = new ArrayList<>();
        for (String required : type.required()) {
            JsonNode v = out.get(required);
            if ((create && (v == null || v.isNull())) || (!create && v != null && v.isNull())) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new SalesforceError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
        }
        return out;
    }

    private JsonNode convert(SObjectType type, SObjectField field, JsonNode v) {
        if (v.isNull()) {
            return v;
        }
        var f = SyncJson.mapper().getNodeFactory();
        switch (field.type()) {
            case STRING -> {
                if (v.isValueNode()) {
                    return f.textNode(v.asText());
                }
            }
            case DOUBLE -> {
                BigDecimal d = decimal(v);
                if (d != null) {
                    return f.numberNode(d);
                }
            }
            case INT -> {
                BigDecimal d = decimal(v);
                if (d != null && d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                    return f.numberNode(d.longValue());
                }
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    return v;
                }
                if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
                    return f.booleanNode(Boolean.parseBoolean(v.asText()));
                }
            }
            case DATETIME -> {
                Optional<Instant> at = v.isTextual() ? SalesforceTime.parse(v.asText()) : Optional.empty();
                if (at.isPresent()) {
                    return f.textNode(SalesforceTime.json(at.get()));
                }
            }
            case DATE -> {
                if (v.isTextual()) {
                    try {
                        return f.textNode(LocalDate.parse(v.asText()).toString());
                    } catch (DateTimeParseException e) {
                        // reported below
                    }
                }
            }
            case REFERENCE -> {
                return reference(field, v);
            }
            case ID -> {
                // system fields never reach here
            }
        }
        throw new SalesforceError(400, "JSON_PARSER_ERROR", "Cannot deserialize value of " + type.name() + "." + field.name()
                + " as " + field.type().name().toLowerCase(java.util.Locale.ROOT) + " from " + abbreviate(v.toString()));
    }

    private JsonNode reference(SObjectField field, JsonNode v) {
        SObjectType target = store.type(field.referenceTo()).orElseThrow();
        String raw = v.isTextual() ? v.asText() : v.toString();
        String id = SalesforceIds.normalise(raw).filter(s -> s.startsWith(target.keyPrefix()))
                .orElseThrow(() -> new SalesforceError(400, "MALFORMED_ID", target.name() + " ID: id value of incorrect type: "
                        + abbreviate(raw), List.of(field.name())));
        if (store.live(target, id).isEmpty()) {
            throw new SalesforceError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of(field.name()));
        }
        return SyncJson.mapper().getNodeFactory().textNode(id);
    }

    private static BigDecimal decimal(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
