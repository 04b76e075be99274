package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One record as read from an external system, in the provider's own field names.
 *
 * <p>{@code fields} must not be mutated after the record is built.
 *
 * @param entity provider entity name
 * @param id provider record id, normalised by the adapter (e.g. 18-character Salesforce ids)
 * @param fields the record's fields, nested objects for relationships ({@code Owner.Name})
 * @param modifiedAt system modification stamp; {@code null} when the provider has none
 * @param version opaque provider version (ETag, change key, modstamp text), or {@code null}
 * @param deleted true for a tombstone: the record was deleted at {@code modifiedAt}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExternalRecord(String entity, String id, ObjectNode fields, Instant modifiedAt, String version, boolean deleted) {

    public ExternalRecord {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(id, "id");
        fields = fields == null ? JsonNodeFactory.instance.objectNode() : fields;
    }

    /** A live record. */
    public static ExternalRecord of(String entity, String id, ObjectNode fields, Instant modifiedAt, String version) {
        return new ExternalRecord(entity, id, fields, modifiedAt, version, false);
    }

    /** A tombstone for a deleted record. */
    public static ExternalRecord tombstone(String entity, String id, Instant deletedAt) {
        return new ExternalRecord(entity, id, null, deletedAt, null, true);
    }

    /** This record's position in modification order, when it has a stamp. */
    public Watermark watermark() {
        return modifiedAt == null ? null : new Watermark(modifiedAt, id);
    }
}
