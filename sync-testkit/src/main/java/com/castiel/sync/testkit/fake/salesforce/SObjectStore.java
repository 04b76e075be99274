package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The org's data: a {@link FakeRecordStore} stamping at Salesforce's {@code SystemModstamp}
 * precision (whole seconds, so several changes share a stamp and ids break the tie), plus what
 * the store does not model: the schema, indexes of external-id values (for upserts), the
 * field values of deleted records (the Recycle Bin, which {@code queryAll} reads) and the
 * horizon up to which the Recycle Bin was emptied.
 *
 * <p>Records hold their writable fields and {@code CreatedDate}; {@code Id},
 * {@code SystemModstamp}, {@code LastModifiedDate} and {@code IsDeleted} come from the store's
 * id, stamp and tombstone flag. Writes are serialised (uniqueness checks and index updates are
 * atomic with the change); reads go straight to the store. Thread-safe.
 */
final class SObjectStore {

    private final FakeRecordStore records;
    private final Map<String, SObjectType> types = new ConcurrentHashMap<>();
    /**
     * type → external-id field → lower-case value → the id of the one live record holding it, or
     * a {@code Set} of ids when several do (kept small: most values are held once).
     */
    private final Map<String, Map<String, Map<String, Object>>> externalIds = new HashMap<>();
    /** type → id → fields at deletion. */
    private final Map<String, Map<String, ObjectNode>> recycleBin = new HashMap<>();
    private final Map<String, Instant> binEmptiedAt = new ConcurrentHashMap<>();
    private final Map<String, String> typeByPrefix = new ConcurrentHashMap<>();

    SObjectStore(java.time.Clock clock) {
        this.records = new FakeRecordStore(clock, ChronoUnit.SECONDS, (entity, sequence) -> {
            SObjectType t = types.get(entity.toLowerCase(Locale.ROOT));
            return SalesforceIds.issue(t == null ? "a00" : t.keyPrefix(), sequence);
        });
    }

    /** Adds or replaces a type. */
    void define(SObjectType type) {
        types.put(type.name().toLowerCase(Locale.ROOT), type);
        typeByPrefix.put(type.keyPrefix(), type.name());
    }

    Optional<SObjectType> type(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(types.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The type whose ids start with the id's key prefix. */
    Optional<SObjectType> typeOfId(String id) {
        return id == null || id.length() < 3 ? Optional.empty() : type(typeByPrefix.get(id.substring(0, 3)));
    }

    FakeRecordStore records() {
        return records;
    }

    /** A live record. */
    Optional<StoredRecord> live(SObjectType type, String id18) {
        return records.get(type.name(), id18);
    }

    /** A record live or deleted, if the id was ever used. */
    Optional<StoredRecord> any(SObjectType type, String id18) {
        return records.lookup(type.name(), id18);
    }

    /** The fields a deleted record had, from the Recycle Bin; empty when it was emptied. */
    synchronized Optional<ObjectNode> deletedFields(SObjectType type, String id18) {
        Map<String, ObjectNode> bin = recycleBin.get(type.name());
        return bin == null ? Optional.empty() : Optional.ofNullable(bin.get(id18)).map(ObjectNode::deepCopy);
    }

    /** Whether a deleted record is still in the Recycle Bin, where {@code queryAll} sees it. */
    boolean inRecycleBin(StoredRecord tombstone) {
        Instant emptied = binEmptiedAt.get(tombstone.entity());
        return emptied == null || tombstone.modifiedAt().isAfter(emptied);
    }

    /**
     * Creates a record from already-validated canonical fields.
     *
     * @throws SalesforceError {@code DUPLICATE_VALUE} when a unique field's value is taken
     */
    synchronized StoredRecord create(SObjectType type, ObjectNode fields) {
        checkUnique(type, null, fields);
        ObjectNode withCreated = fields.deepCopy();
        withCreated.put("CreatedDate", SalesforceTime.json(records.now()));
        StoredRecord r = records.create(type.name(), withCreated);
        index(type, r.id(), null, r.fields());
        return r;
    }

    /**
     * Merges validated canonical fields into a live record if {@code precondition} holds.
     *
     * @throws SalesforceError 404 when the record does not exist or was deleted,
     *     {@code DUPLICATE_VALUE}, or {@code PRECONDITION_FAILED} (412)
     */
    synchronized StoredRecord update(SObjectType type, String id18, ObjectNode fields, Predicate<StoredRecord> precondition) {
        StoredRecord current = requireLive(type, id18);
        if (!precondition.test(current)) {
            throw new SalesforceError(412, "PRECONDITION_FAILED", "The record changed after the time given in the request's "
                    + "precondition header");
        }
        checkUnique(type, id18, fields);
        StoredRecord updated = records.update(type.name(), id18, fields);
        index(type, id18, current.fields(), updated.fields());
        return updated;
    }

    /**
     * Deletes a live record, keeping its fields in the Recycle Bin.
     *
     * @throws SalesforceError 404 {@code ENTITY_IS_DELETED} or {@code NOT_FOUND}
     */
    synchronized StoredRecord delete(SObjectType type, String id18) {
        StoredRecord current = requireLive(type, id18);
        ObjectNode fields = current.fields();
        StoredRecord tombstone = records.delete(type.name(), id18);
        index(type, id18, fields, null);
        recycleBin.computeIfAbsent(type.name(), k -> new HashMap<>()).put(id18, fields);
        return tombstone;
    }

    /** Live records whose external-id field holds {@code value} (case-insensitively). */
    synchronized List<String> findByExternalId(SObjectType type, SObjectField field, String value) {
        Object held = externalIds.getOrDefault(type.name(), Map.of())
                .getOrDefault(field.name(), Map.of())
                .get(value.toLowerCase(Locale.ROOT));
        if (held == null) {
            return List.of();
        }
        if (held instanceof String id) {
            return List.of(id);
        }
        @SuppressWarnings("unchecked")
        List<String> sorted = new ArrayList<>((Set<String>) held);
        sorted.sort(null);
        return sorted;
    }

    /** Empties the Recycle Bin of a type: its deleted records disappear from {@code queryAll}. */
    synchronized void emptyRecycleBin(SObjectType type) {
        binEmptiedAt.put(type.name(), records.now());
        recycleBin.remove(type.name());
    }

    /** Purges the delete log before {@code before}: those deletions vanish from every feed. */
    synchronized int purgeDeleteLog(SObjectType type, Instant before) {
        int purged = records.purgeTombstones(type.name(), before);
        Map<String, ObjectNode> bin = recycleBin.get(type.name());
        if (bin != null) {
            bin.keySet().removeIf(id -> records.lookup(type.name(), id).map(r -> r.modifiedAt().isBefore(before)).orElse(true));
        }
        return purged;
    }

    /**
     * @throws SalesforceError 404 {@code ENTITY_IS_DELETED} for a deleted record, {@code NOT_FOUND}
     *     for an id never used
     */
    StoredRecord requireLive(SObjectType type, String id18) {
        Optional<StoredRecord> r = records.lookup(type.name(), id18);
        if (r.isEmpty()) {
            throw SalesforceError.notFound();
        }
        if (r.get().deleted()) {
            throw new SalesforceError(404, "ENTITY_IS_DELETED", "entity is deleted");
        }
        return r.get();
    }

    /**
     * @throws SalesforceError {@code DUPLICATE_VALUE} when a unique field of {@code fields} holds
     *     a value another live record (not {@code selfId}) holds
     */
    synchronized void checkUnique(SObjectType type, String selfId, ObjectNode fields) {
        for (SObjectField f : type.fields().values()) {
            JsonNode v = fields.get(f.name());
            if (!f.unique() || v == null || v.isNull()) {
                continue;
            }
            for (String other : findByExternalId(type, f, v.asText())) {
                if (!other.equals(selfId)) {
                    throw new SalesforceError(400, "DUPLICATE_VALUE", "duplicate value found: " + f.name()
                            + " duplicates value on record with id: " + other, List.of(f.name()));
                }
            }
        }
    }

    private void index(SObjectType type, String id, ObjectNode before, ObjectNode after) {
        for (SObjectField f : type.fields().values()) {
            if (!f.externalId()) {
                continue;
            }
            String old = textOf(before, f.name());
            String now = textOf(after, f.name());
            if (old != null && old.equals(now)) {
                continue;
            }
            Map<String, Object> byValue = externalIds.computeIfAbsent(type.name(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(f.name(), k -> new HashMap<>());
            if (old != null) {
                unindex(byValue, old, id);
            }
            if (now != null) {
                byValue.merge(now, id, SObjectStore::union);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void unindex(Map<String, Object> byValue, String value, String id) {
        Object held = byValue.get(value);
        if (held instanceof String single) {
            if (single.equals(id)) {
                byValue.remove(value);
            }
        } else if (held instanceof Set<?> set) {
            Set<String> ids = (Set<String>) set;
            ids.remove(id);
            if (ids.size() == 1) {
                byValue.put(value, ids.iterator().next());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object union(Object held, Object added) {
        Set<String> ids = held instanceof Set<?> set ? (Set<String>) set : new HashSet<>(Set.of((String) held));
        ids.add((String) added);
        return ids;
    }

    private static String textOf(ObjectNode fields, String name) {
        if (fields == null) {
            return null;
        }
        JsonNode v = fields.get(name);
        return v == null || v.isNull() ? null : v.asText().toLowerCase(Locale.ROOT);
    }
}
