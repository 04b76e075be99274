package com.castiel.sync.testkit.fake;

import com.castiel.sync.model.Watermark;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The state behind a fake provider: entities of records with modification stamps, versions and
 * tombstones, scanned in the (stamp, id) order incremental syncs rely on.
 *
 * <p><b>Stamps.</b> A change is stamped with {@code clock.instant()} truncated to the store's
 * precision (milliseconds by default), never earlier than the previous stamp, so stamps never go
 * backwards even if the clock does. When the clock stands still (a test clock), successive
 * changes get <em>equal</em> stamps and ids break the tie — exactly the case that trips naive
 * watermark code. {@link StoredRecord#version()} is a store-wide sequence, strictly increasing
 * with every change, and serves as the ETag.
 *
 * <p><b>Semantics.</b> Updates merge the given fields into the record (a JSON {@code null}
 * value is stored as null); an update that changes no value leaves stamp and version alone, as
 * providers that skip no-op writes do, which makes repeated writes idempotent. Deleting turns a
 * record into a tombstone stamped with the deletion time; tombstones stay until
 * {@link #purgeTombstones(String, Instant)} and never come back to life (ids are not reused).
 *
 * <p>Thread-safe: every operation is atomic. Records handed out are immutable snapshots.
 * Change listeners run synchronously after each change, on the changing thread.
 */
public final class FakeRecordStore {

    /** Makes ids for {@link #create(String, ObjectNode)}. */
    @FunctionalInterface
    public interface IdGenerator {
        /**
         * @param entity the entity a record is created in
         * @param sequence 1 for the first record the store generates an id for, then 2, 3…
         */
        String next(String entity, long sequence);
    }

    /** Which records a scan returns. */
    public enum Visibility { LIVE, DELETED, ALL }

    /**
     * One slice of a scan.
     *
     * @param records up to the requested limit, in ascending (stamp, id) order
     * @param hasMore whether more matching records follow the last one
     * @param storeVersion the store's {@link FakeRecordStore#version()} when the slice was taken,
     *     read atomically with it
     */
    public record Slice(List<StoredRecord> records, boolean hasMore, long storeVersion) {
        public Slice {
            records = List.copyOf(records);
        }

        /** The position of the last record, or {@code null} for an empty slice. */
        public Watermark last() {
            return records.isEmpty() ? null : records.get(records.size() - 1).watermark();
        }
    }

    /** The record does not exist, or was deleted. */
    public static final class NoSuchRecord extends RuntimeException {
        NoSuchRecord(String entity, String id) {
            super(entity + " record '" + id + "' does not exist");
        }
    }

    /** A conditional change found the record in another state than the caller expected. */
    public static final class PreconditionFailed extends RuntimeException {
        private final transient StoredRecord current;

        PreconditionFailed(StoredRecord current) {
            super(current.entity() + " record '" + current.id() + "' changed (now version " + current.version() + ")");
            this.current = current;
        }

        /** The record as it is now. */
        public StoredRecord current() {
            return current;
        }
    }

    /** A create named an id that exists (or existed) in the entity. */
    public static final class DuplicateId extends RuntimeException {
        DuplicateId(String entity, String id) {
            super(entity + " record '" + id + "' already exists or existed");
        }
    }

    private static final IdGenerator DEFAULT_IDS = (entity, n) -> entity + "-" + String.format("%06d", n);

    private final Clock clock;
    private final ChronoUnit precision;
    private final IdGenerator ids;
    private final Map<String, Table> tables = new HashMap<>();
    private final List<Consumer<StoredRecord>> listeners = new CopyOnWriteArrayList<>();
    private Instant lastStamp = Instant.MIN;
    private long version;
    private long generated;

    /** A store stamping with {@code clock} at millisecond precision, ids like {@code contacts-000001}. */
    public FakeRecordStore(Clock clock) {
        this(clock, ChronoUnit.MILLIS, DEFAULT_IDS);
    }

    /**
     * @param clock source of modification stamps (a real or a test clock)
     * @param precision stamps are truncated to this unit (Salesforce {@code SystemModstamp} has
     *     seconds, most REST APIs milliseconds)
     * @param ids id generator for creates without an explicit id
     */
    public FakeRecordStore(Clock clock, ChronoUnit precision, IdGenerator ids) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.precision = Objects.requireNonNull(precision, "precision");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** Calls {@code listener} with the new state after every create, update and delete. */
    public void addListener(Consumer<StoredRecord> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Creates a record with a generated id. */
    public StoredRecord create(String entity, ObjectNode fields) {
        StoredRecord created;
        synchronized (this) {
            String id;
            do {
                id = ids.next(entity, ++generated);
            } while (table(entity).byId.containsKey(id));
            created = insert(entity, id, fields);
        }
        notifyListeners(created);
        return created;
    }

    /**
     * Creates a record with the given id.
     *
     * @throws DuplicateId when the id exists or existed in the entity
     */
    public StoredRecord create(String entity, String id, ObjectNode fields) {
        StoredRecord created;
        synchronized (this) {
            if (table(entity).byId.containsKey(id)) {
                throw new DuplicateId(entity, id);
            }
            created = insert(entity, id, fields);
        }
        notifyListeners(created);
        return created;
    }

    /**
     * Merges {@code patch} into a live record.
     *
     * @throws NoSuchRecord when it does not exist or was deleted
     */
    public StoredRecord update(String entity, String id, ObjectNode patch) {
        return updateIf(entity, id, patch, r -> true);
    }

    /**
     * Merges {@code patch} into a live record if {@code precondition} holds for its current
     * state, atomically.
     *
     * @throws NoSuchRecord when it does not exist or was deleted
     * @throws PreconditionFailed when the precondition is false
     */
    public StoredRecord updateIf(String entity, String id, ObjectNode patch, Predicate<StoredRecord> precondition) {
        Objects.requireNonNull(patch, "patch");
        StoredRecord updated;
        synchronized (this) {
            StoredRecord current = requireLive(entity, id);
            if (!precondition.test(current)) {
                throw new PreconditionFailed(current);
            }
            ObjectNode merged = current.fields();
            merged.setAll(patch.deepCopy());
            if (merged.equals(current.fields())) {
                return current;
            }
            updated = replace(current, new StoredRecord(entity, id, merged, nextStamp(), ++version, false));
        }
        notifyListeners(updated);
        return updated;
    }

    /**
     * Deletes a live record, leaving a tombstone.
     *
     * @throws NoSuchRecord when it does not exist or was already deleted
     */
    public StoredRecord delete(String entity, String id) {
        return deleteIf(entity, id, r -> true);
    }

    /**
     * Deletes a live record if {@code precondition} holds, atomically.
     *
     * @throws NoSuchRecord when it does not exist or was already deleted
     * @throws PreconditionFailed when the precondition is false
     */
    public StoredRecord deleteIf(String entity, String id, Predicate<StoredRecord> precondition) {
        StoredRecord tombstone;
        synchronized (this) {
            StoredRecord current = requireLive(entity, id);
            if (!precondition.test(current)) {
                throw new PreconditionFailed(current);
            }
            tombstone = replace(current, new StoredRecord(entity, id, JsonNodeFactory.instance.objectNode(), nextStamp(), ++version, true));
        }
        notifyListeners(tombstone);
        return tombstone;
    }

    /** The live record, if it exists and is not deleted. */
    public synchronized Optional<StoredRecord> get(String entity, String id) {
        return lookup(entity, id).filter(r -> !r.deleted());
    }

    /** The record in whatever state it is (live or tombstone), if the id was ever used. */
    public synchronized Optional<StoredRecord> lookup(String entity, String id) {
        Table t = tables.get(entity);
        return t == null ? Optional.empty() : Optional.ofNullable(t.byId.get(id));
    }

    /**
     * Records after {@code after} (exclusive) in ascending (stamp, id) order.
     *
     * @param after lower bound, exclusive; {@code null} starts at the beginning
     * @param limit most records to return, positive
     */
    public synchronized Slice scan(String entity, Watermark after, int limit, Visibility visibility) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        Table t = tables.get(entity);
        if (t == null) {
            return new Slice(List.of(), false, version);
        }
        Iterator<StoredRecord> it = (after == null ? t.byStamp : t.byStamp.tailMap(after, false)).values().iterator();
        List<StoredRecord> out = new ArrayList<>(Math.min(limit, 256));
        while (it.hasNext()) {
            StoredRecord r = it.next();
            if (!visible(r, visibility)) {
                continue;
            }
            if (out.size() == limit) {
                return new Slice(out, true, version);
            }
            out.add(r);
        }
        return new Slice(out, false, version);
    }

    /**
     * Live records and tombstones whose version is greater than {@code afterVersion}, in
     * ascending version order: a change feed without the equal-stamp ambiguity of (stamp, id)
     * order, since versions are unique and strictly increasing. A change made while a feed is
     * being read gets a higher version, so it is visited later in the same feed.
     *
     * @param afterVersion exclusive lower bound; 0 starts at the beginning
     * @param limit most records to return, positive
     */
    public synchronized Slice changesAfter(String entity, long afterVersion, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        Table t = tables.get(entity);
        if (t == null) {
            return new Slice(List.of(), false, version);
        }
        List<StoredRecord> out = new ArrayList<>(Math.min(limit, 256));
        for (StoredRecord r : t.byVersion.tailMap(afterVersion, false).values()) {
            if (out.size() == limit) {
                return new Slice(out, true, version);
            }
            out.add(r);
        }
        return new Slice(out, false, version);
    }

    /** The version of the latest change anywhere in the store; 0 before the first. */
    public synchronized long version() {
        return version;
    }

    /** Every live record of an entity matching {@code filter}, in (stamp, id) order. */
    public synchronized List<StoredRecord> find(String entity, Predicate<StoredRecord> filter) {
        Table t = tables.get(entity);
        if (t == null) {
            return List.of();
        }
        return t.byStamp.values().stream().filter(r -> !r.deleted()).filter(filter).toList();
    }

    /** Number of live records in an entity. */
    public synchronized int count(String entity) {
        Table t = tables.get(entity);
        return t == null ? 0 : (int) t.byId.values().stream().filter(r -> !r.deleted()).count();
    }

    /** Entities that hold or held records, sorted. */
    public synchronized Set<String> entities() {
        return new TreeSet<>(tables.keySet());
    }

    /**
     * Forgets tombstones deleted before {@code before}, as providers purge their delete logs, and
     * remembers the horizon ({@link #purgedBefore}).
     *
     * @return how many tombstones were purged
     */
    public synchronized int purgeTombstones(String entity, Instant before) {
        Table t = table(entity);
        List<StoredRecord> purged = t.byStamp.values().stream()
                .filter(r -> r.deleted() && r.modifiedAt().isBefore(before)).toList();
        for (StoredRecord r : purged) {
            t.byStamp.remove(r.watermark());
            t.byVersion.remove(r.version());
        }
        // the ids stay reserved: purging the log must not let an id come back
        t.purgedBefore = t.purgedBefore == null || before.isAfter(t.purgedBefore) ? before : t.purgedBefore;
        return purged.size();
    }

    /** The horizon of the last purge: tombstones before it may be missing. */
    public synchronized Optional<Instant> purgedBefore(String entity) {
        Table t = tables.get(entity);
        return t == null ? Optional.empty() : Optional.ofNullable(t.purgedBefore);
    }

    /** The stamp a change made now would get (without making one). */
    public synchronized Instant now() {
        Instant t = clock.instant().truncatedTo(precision);
        return t.isBefore(lastStamp) ? lastStamp : t;
    }

    /** The clock the store stamps with. */
    public Clock clock() {
        return clock;
    }

    private StoredRecord insert(String entity, String id, ObjectNode fields) {
        Objects.requireNonNull(id, "id");
        ObjectNode copy = fields == null ? JsonNodeFactory.instance.objectNode() : fields.deepCopy();
        StoredRecord r = new StoredRecord(entity, id, copy, nextStamp(), ++version, false);
        Table t = table(entity);
        t.byId.put(id, r);
        t.byStamp.put(r.watermark(), r);
        t.byVersion.put(r.version(), r);
        return r;
    }

    private StoredRecord replace(StoredRecord current, StoredRecord next) {
        Table t = table(current.entity());
        t.byStamp.remove(current.watermark());
        t.byStamp.put(next.watermark(), next);
        t.byVersion.remove(current.version());
        t.byVersion.put(next.version(), next);
        t.byId.put(next.id(), next);
        return next;
    }

    private StoredRecord requireLive(String entity, String id) {
        Table t = tables.get(entity);
        StoredRecord r = t == null ? null : t.byId.get(id);
        if (r == null || r.deleted()) {
            throw new NoSuchRecord(entity, id);
        }
        return r;
    }

    private Instant nextStamp() {
        lastStamp = now();
        return lastStamp;
    }

    private Table table(String entity) {
        Objects.requireNonNull(entity, "entity");
        return tables.computeIfAbsent(entity, e -> new Table());
    }

    private static boolean visible(StoredRecord r, Visibility v) {
        return switch (v) {
            case LIVE -> !r.deleted();
            case DELETED -> r.deleted();
            case ALL -> true;
        };
    }

    private void notifyListeners(StoredRecord r) {
        for (Consumer<StoredRecord> l : listeners) {
            l.accept(r);
        }
    }

    private static final class Table {
        final Map<String, StoredRecord> byId = new HashMap<>();
        final TreeMap<Watermark, StoredRecord> byStamp = new TreeMap<>();
        final TreeMap<Long, StoredRecord> byVersion = new TreeMap<>();
        Instant purgedBefore;
    }
}
