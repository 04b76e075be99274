package com.castiel.sync.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One record to write, in provider field names.
 *
 * @param entity provider entity name
 * @param kind create, update, upsert or delete
 * @param externalId record id for update and delete; {@code null} for create and upsert
 * @param fields fields to set (only the changed outbound fields); empty for delete
 * @param upsertField external id field for {@link WriteKind#UPSERT}
 * @param upsertValue its value
 * @param ifMatch ETag the record must still have, or {@code null}; adapters with
 *     {@link Capability#CONDITIONAL_WRITE} send it and report a precondition failure as
 *     {@link SyncException.Conflict}
 * @param ifUnmodifiedSince modification time the record must not be newer than, or {@code null}
 */
public record WriteRequest(
        String entity,
        WriteKind kind,
        String externalId,
        ObjectNode fields,
        String upsertField,
        String upsertValue,
        String ifMatch,
        Instant ifUnmodifiedSince) {

    public WriteRequest {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(kind, "kind");
        if ((kind == WriteKind.UPDATE || kind == WriteKind.DELETE) && externalId == null) {
            throw new IllegalArgumentException(kind + " needs an externalId");
        }
        if (kind == WriteKind.UPSERT && (upsertField == null || upsertValue == null)) {
            throw new IllegalArgumentException("UPSERT needs upsertField and upsertValue");
        }
        fields = fields == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : fields;
    }

    public static WriteRequest create(String entity, ObjectNode fields) {
        return new WriteRequest(entity, WriteKind.CREATE, null, fields, null, null, null, null);
    }

    public static WriteRequest update(String entity, String id, ObjectNode fields) {
        return new WriteRequest(entity, WriteKind.UPDATE, id, fields, null, null, null, null);
    }

    public static WriteRequest delete(String entity, String id) {
        return new WriteRequest(entity, WriteKind.DELETE, id, null, null, null, null, null);
    }

    public static WriteRequest upsert(String entity, String field, String value, ObjectNode fields) {
        return new WriteRequest(entity, WriteKind.UPSERT, null, fields, field, value, null, null);
    }

    public WriteRequest withPreconditions(String etag, Instant unmodifiedSince) {
        return new WriteRequest(entity, kind, externalId, fields, upsertField, upsertValue, etag, unmodifiedSince);
    }
}
