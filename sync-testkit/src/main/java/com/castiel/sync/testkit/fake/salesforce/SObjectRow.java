package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.testkit.fake.StoredRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * One stored record as queries see it: system fields from the store's id, stamp and tombstone
 * flag, other fields from the record (or, for a deleted record, from the Recycle Bin), and
 * relationship fields by following the lookup. Field values are copied out of the store only
 * when a field other than a system field is asked for. Not thread-safe; one per row visit.
 */
final class SObjectRow implements SoqlRow {

    private final SObjectStore store;
    private final SObjectType type;
    private final StoredRecord record;
    private ObjectNode fields;

    SObjectRow(SObjectStore store, SObjectType type, StoredRecord record) {
        this.store = store;
        this.type = type;
        this.record = record;
    }

    StoredRecord record() {
        return record;
    }

    SObjectType type() {
        return type;
    }

    @Override
    public Object value(SoqlFieldPath path) {
        if (path.direct()) {
            switch (path.field().name()) {
                case "Id" -> {
                    return record.id();
                }
                case "IsDeleted" -> {
                    return record.deleted();
                }
                case "SystemModstamp", "LastModifiedDate" -> {
                    return record.modifiedAt();
                }
                default -> {
                    // a stored field, read below
                }
            }
        }
        return typed(path.field(), json(path));
    }

    /** The wire value of a selected field. */
    JsonNode json(SoqlFieldPath path) {
        if (path.direct()) {
            return json(path.field());
        }
        JsonNode target = json(path.lookup());
        if (target == null || target.isNull()) {
            return NullNode.instance;
        }
        return store.live(path.target(), target.asText())
                .map(r -> new SObjectRow(store, path.target(), r).json(path.field()))
                .orElse(NullNode.instance);
    }

    /** The related record a relationship path reaches, if the lookup is set and the record exists. */
    SObjectRow related(SObjectField lookup, SObjectType target) {
        JsonNode id = json(lookup);
        if (id == null || id.isNull()) {
            return null;
        }
        return store.live(target, id.asText()).map(r -> new SObjectRow(store, target, r)).orElse(null);
    }

    /** The wire value of one of this record's own fields. */
    JsonNode json(SObjectField field) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (field.name()) {
            case "Id" -> f.textNode(record.id());
            case "IsDeleted" -> f.booleanNode(record.deleted());
            case "SystemModstamp", "LastModifiedDate" -> f.textNode(SalesforceTime.json(record.modifiedAt()));
            default -> {
                JsonNode v = fields().get(field.name());
                yield v == null ? NullNode.instance : v;
            }
        };
    }

    private ObjectNode fields() {
        if (fields == null) {
            fields = record.deleted()
                    ? store.deletedFields(type, record.id()).orElseGet(JsonNodeFactory.instance::objectNode)
                    : record.fields();
        }
        return fields;
    }

    private static Object typed(SObjectField field, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return switch (field.type()) {
            case ID, STRING, REFERENCE -> v.asText();
            case DOUBLE, INT -> v.isNumber() ? v.decimalValue() : null;
            case BOOLEAN -> v.isBoolean() ? v.booleanValue() : null;
            case DATETIME -> SalesforceTime.parse(v.asText()).orElse(null);
            case DATE -> {
                try {
                    yield LocalDate.parse(v.asText());
                } catch (DateTimeParseException e) {
                    yield null;
                }
            }
        };
    }
}
