package com.castiel.sync.testkit.fake;

import com.castiel.sync.model.Watermark;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One record as a {@link FakeRecordStore} holds it: live or a tombstone. Immutable: the store
 * builds it from a private copy of the fields and {@link #fields()} hands out copies.
 *
 * @param entity entity name
 * @param id record id, unique within the entity (a tombstone keeps its id)
 * @param fields field values; empty for a tombstone
 * @param modifiedAt modification stamp; for a tombstone, when it was deleted
 * @param version the store-wide change sequence number of the last change, strictly increasing
 *     across the store (a natural ETag)
 * @param deleted true for a tombstone
 */
public record StoredRecord(String entity, String id, ObjectNode fields, Instant modifiedAt, long version, boolean deleted) {

    public StoredRecord {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(modifiedAt, "modifiedAt");
    }

    /** A copy of the field values; changing it does not change the store. */
    @Override
    public ObjectNode fields() {
        return fields.deepCopy();
    }

    /** The record's position in (stamp, id) order. */
    public Watermark watermark() {
        return new Watermark(modifiedAt, id);
    }

    /** The version as a quoted HTTP entity tag, e.g. {@code "17"}. */
    public String etag() {
        return "\"" + version + "\"";
    }

    /** When it was deleted, for a tombstone; {@code null} for a live record. */
    public Instant deletedAt() {
        return deleted ? modifiedAt : null;
    }
}
