package com.castiel.sync.testkit.memory;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldConflict;
import com.castiel.sync.model.PendingConflict;
import com.castiel.sync.model.Shard;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Deep copies of shards. A durable store hands out fresh documents on every read, so a caller
 * that mutates a JSON node it got (or gave) never changes what is stored; the in-memory store
 * copies on the way in and out to behave the same, so tests cannot pass by aliasing.
 */
final class ShardCopies {

    private ShardCopies() {
    }

    static Shard copy(Shard s) {
        List<ExternalRelationship> links = s.externalRelationships().stream().map(ShardCopies::copy).toList();
        return new Shard(s.id(), s.tenantId(), s.shardTypeId(), s.structuredData().deepCopy(), links,
                s.createdAt(), s.updatedAt(), s.deletedAt(), s.etag(), s.updatedBy());
    }

    private static ExternalRelationship copy(ExternalRelationship r) {
        return new ExternalRelationship(r.system(), r.integrationId(), r.externalEntity(), r.externalId(), r.syncDirection(),
                r.lastSyncedAt(), r.lastSyncedHash(), r.lastSeenVersion(), r.lastSeenModifiedAt(), r.syncStatus(), r.error(),
                copy(r.lastSyncedValues()), copy(r.conflict()));
    }

    private static PendingConflict copy(PendingConflict c) {
        if (c == null) {
            return null;
        }
        List<FieldConflict> fields = c.fields().stream()
                .map(f -> new FieldConflict(f.field(), copy(f.baseValue()), copy(f.castielValue()), copy(f.externalValue())))
                .toList();
        return new PendingConflict(fields, c.externalVersion(), c.detectedAt());
    }

    private static ObjectNode copy(ObjectNode node) {
        return node == null ? null : node.deepCopy();
    }

    private static JsonNode copy(JsonNode node) {
        return node == null ? null : node.deepCopy();
    }
}
