package com.castiel.sync.standalone.store;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.LinkState;
import com.castiel.sync.port.PreparedWrites;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.standalone.store.sqlite.Durability;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ShardStore} of the standalone runtime, in the embedded SQLite database.
 *
 * <p><b>Layout.</b> Table {@code shard} holds one row per shard (INTEGER rowid, unique
 * (tenant, shard id), the document as {@code SyncJson} text without its etag); table
 * {@code shard_link} holds one row per external relationship, whose unique index on (tenant,
 * integration, entity, external id) enforces "one shard per link" and serves
 * {@link #findByExternalIds} in one IN-list query per page. Each link row also carries the
 * link's state (last synced hash and time, last seen modification stamp, status, direction, and
 * the shard's deleted flag), written in the same statement batch as the document, so that
 * {@link #findLinkStates} and {@link #listLinkStates} read neither shard rows nor documents.
 * Link-state instants are {@link EpochNanos}: those outside the years 1677-2262 are clamped.
 *
 * <p><b>Writes.</b> {@link #write} is one transaction ({@link Durability#PROCESS_CRASH}): the
 * batch is first checked in memory, in request order, against the current rows its replaces and
 * deletes touch and the holders of the links it wants (read with two or three IN-list queries);
 * an insert's shard id, and the links of a batch of inserts alone, are checked by the unique
 * indexes as they are written. On a conflict nothing is written and
 * {@link StoreConflictException} names the shard (or, for an insert, the batch's shards). Otherwise the net change of each touched shard
 * is applied with batched prepared statements (deletes, updates, inserts, link rows), so a
 * 2,000-shard page costs a handful of statements and one commit. Documents are serialised before
 * the write lock is taken, or ahead of the write on the caller's thread by {@link #prepare}.
 *
 * <p><b>Etags</b> are quoted hex values of a store-wide counter: they change on every write and
 * are never reused. An etag this store did not issue never matches.
 *
 * <p>The shards returned by {@code write} are the request's shards with their new etag (sharing
 * the caller's JSON nodes); every read returns freshly parsed documents. Thread-safe.
 */
public final class SqliteShardStore implements ShardStore {

    private static final String ETAG_COUNTER = "shard.etag";

    private final SqliteDatabase db;

    public SqliteShardStore(SqliteDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // ---- reads ----

    /** Checks a lookup's arguments; the distinct non-null ids to look up. */
    private static List<String> lookupIds(TenantId tenant, IntegrationId integration, String externalEntity, Collection<String> externalIds) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(externalEntity, "externalEntity");
        Objects.requireNonNull(externalIds, "externalIds");
        return externalIds.stream().filter(Objects::nonNull).distinct().toList();
    }

    @Override
    public Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity,
                                                Collection<String> externalIds) {
        List<String> distinct = lookupIds(tenant, integration, externalEntity, externalIds);
        if (distinct.isEmpty()) {
            return Map.of();
        }
        Map<String, Shard> found = new LinkedHashMap<>();
        db.read(c -> {
            for (List<String> chunk : db.chunks(distinct, 3)) {
                String sql = "SELECT l.external_id, s.doc, s.etag FROM shard_link l JOIN shard s ON s.row_id = l.shard_row"
                        + " WHERE l.tenant = ? AND l.integration = ? AND l.entity = ? AND l.external_id IN ("
                        + SqliteDatabase.placeholders(chunk.size()) + ")";
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, tenant.value());
                    p.setString(2, integration.value());
                    p.setString(3, externalEntity);
                    int i = 4;
                    for (String id : chunk) {
                        p.setString(i++, id);
                    }
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getString(1), parse(rs.getBytes(2), rs.getLong(3)));
                        }
                    }
                }
            }
            return null;
        });
        return Collections.unmodifiableMap(found);
    }

    @Override
    public Optional<Shard> get(TenantId tenant, ShardId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT doc, etag FROM shard WHERE tenant = ? AND shard_id = ?")) {
                p.setString(1, tenant.value());
                p.setString(2, id.value());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(parse(rs.getBytes(1), rs.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Shard> listLinked(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(externalEntity, "externalEntity");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        // DISTINCT: a shard linked twice to the same entity (two external ids) is one result and
        // must take one slot of the page, or a short page would look like the last one.
        String sql = """
                SELECT s.doc, s.etag FROM (
                  SELECT DISTINCT l.shard_row AS r, l.shard_id AS sid FROM shard_link l
                  WHERE l.tenant = ? AND l.integration = ? AND l.entity = ? AND l.shard_id > ?
                  ORDER BY l.shard_id LIMIT ?) AS page
                JOIN shard s ON s.row_id = page.r
                ORDER BY page.sid""";
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, tenant.value());
                p.setString(2, integration.value());
                p.setString(3, externalEntity);
                // Shard ids are never blank, so every id sorts after the empty string.
                p.setString(4, afterShardId == null ? "" : afterShardId.value());
                p.setInt(5, limit);
                List<Shard> page = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        page.add(parse(rs.getBytes(1), rs.getLong(2)));
                    }
                }
                return List.copyOf(page);
            }
        });
    }

    /** The link-state columns of {@code shard_link l}. */
    private static final String LINK_STATE_COLUMNS =
            "l.shard_id, l.external_id, l.synced_hash, l.seen_modified_at, l.synced_at, l.sync_status, l.sync_direction, l.shard_deleted";

    private static final String FIND_LINK_STATES = "SELECT " + LINK_STATE_COLUMNS + " FROM shard_link l"
            + " WHERE l.tenant = ? AND l.integration = ? AND l.entity = ? AND l.external_id IN (SELECT value FROM json_each(?))";

    // The page is the same shards as listLinked's (the shard_link_by_entity index in shard-id
    // order, each shard once), then every link of those shards to the entity.
    private static final String LIST_LINK_STATES = "SELECT " + LINK_STATE_COLUMNS + """
             FROM shard_link l
            WHERE l.tenant = ? AND l.integration = ? AND l.entity = ? AND l.shard_id > ? AND l.shard_id <= (
              SELECT max(sid) FROM (
                SELECT DISTINCT shard_id AS sid FROM shard_link
                WHERE tenant = ? AND integration = ? AND entity = ? AND shard_id > ?
                ORDER BY shard_id LIMIT ?))
            ORDER BY l.shard_id, l.external_id""";

    /** Answered from {@code shard_link} alone: neither the shard rows nor their documents are read. */
    @Override
    public Map<String, LinkState> findLinkStates(TenantId tenant, IntegrationId integration, String externalEntity,
                                                 Collection<String> externalIds) {
        List<String> distinct = lookupIds(tenant, integration, externalEntity, externalIds);
        if (distinct.isEmpty()) {
            return Map.of();
        }
        // The ids go in as one JSON array: the statement text is constant, so it is prepared once
        // per connection instead of once per page (a 2,000-parameter IN list costs a prepare each time).
        String idArray = SyncJson.write(distinct);
        return db.read(c -> {
            PreparedStatement p = db.prepared(c, FIND_LINK_STATES);
            p.setString(1, tenant.value());
            p.setString(2, integration.value());
            p.setString(3, externalEntity);
            p.setString(4, idArray);
            Map<String, LinkState> found = new HashMap<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    LinkState state = linkState(rs);
                    found.put(state.externalId(), state);
                }
            }
            return Collections.unmodifiableMap(found);
        });
    }

    /** Answered from {@code shard_link} alone: neither the shard rows nor their documents are read. */
    @Override
    public List<LinkState> listLinkStates(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId,
                                          int limit) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(externalEntity, "externalEntity");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return db.read(c -> {
            PreparedStatement p = db.prepared(c, LIST_LINK_STATES);
            // Shard ids are never blank, so every id sorts after the empty string.
            String after = afterShardId == null ? "" : afterShardId.value();
            for (int block = 0; block < 2; block++) {
                p.setString(block * 4 + 1, tenant.value());
                p.setString(block * 4 + 2, integration.value());
                p.setString(block * 4 + 3, externalEntity);
                p.setString(block * 4 + 4, after);
            }
            p.setInt(9, limit);
            List<LinkState> page = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    page.add(linkState(rs));
                }
            }
            return List.copyOf(page);
        });
    }

    /** A link state from a row of {@link #LINK_STATE_COLUMNS}; absent status and direction read as a relationship's defaults. */
    private static LinkState linkState(ResultSet rs) throws SQLException {
        String status = rs.getString(6);
        String direction = rs.getString(7);
        return new LinkState(ShardId.of(rs.getString(1)), rs.getString(2), rs.getString(3), nullableInstant(rs, 4), nullableInstant(rs, 5),
                status == null ? SyncStatus.SYNCED : SyncStatus.fromWire(status),
                direction == null ? SyncDirection.INBOUND : SyncDirection.fromWire(direction),
                rs.getInt(8) != 0);
    }

    private static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        long nanos = rs.getLong(column);
        return rs.wasNull() ? null : EpochNanos.toInstant(nanos);
    }

    @Override
    public long count(TenantId tenant, String shardTypeId) {
        Objects.requireNonNull(tenant, "tenant");
        String sql = "SELECT count(*) FROM shard WHERE tenant = ? AND deleted = 0" + (shardTypeId == null ? "" : " AND shard_type = ?");
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, tenant.value());
                if (shardTypeId != null) {
                    p.setString(2, shardTypeId);
                }
                try (ResultSet rs = p.executeQuery()) {
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Reads a stored document from its UTF-8 bytes (Jackson's byte parser is faster than its reader-based one). */
    private static Shard parse(byte[] doc, long etag) {
        try {
            return SyncJson.mapper().readValue(doc, Shard.class).withEtag(ShardEtags.format(etag));
        } catch (JsonProcessingException e) {
            throw new StorageException("a stored shard document cannot be read: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new StorageException("a stored shard document cannot be read: " + e.getMessage(), e);
        }
    }

    // ---- writes ----

    /** Below this many writes, splitting the serialisation across threads costs more than it saves. */
    private static final int PARALLEL_SERIALISATION_FROM = 64;

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        return writeSerialised(tenant, serialise(tenant, writes));
    }

    /** Serialises the documents and builds the link rows now, on the caller's thread. */
    @Override
    public PreparedWrites prepare(TenantId tenant, List<ShardWrite> writes) {
        List<PreparedWrite> serialised = serialise(tenant, writes);
        return PreparedWrites.preparedBy(this, tenant, writes, new Serialised(serialised));
    }

    @Override
    public List<Shard> write(PreparedWrites batch) {
        Objects.requireNonNull(batch, "batch");
        return batch.formFor(this, Serialised.class)
                .map(form -> writeSerialised(batch.tenant(), form.writes()))
                .orElseGet(() -> write(batch.tenant(), batch.writes()));
    }

    /** Checks the batch's arguments and serialises its documents (outside the write lock). */
    private static List<PreparedWrite> serialise(TenantId tenant, List<ShardWrite> writes) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(writes, "writes");
        for (int i = 0; i < writes.size(); i++) {
            ShardWrite w = Objects.requireNonNull(writes.get(i), "writes[" + i + "]");
            Shard shard = switch (w) {
                case ShardWrite.Insert insert -> insert.shard();
                case ShardWrite.Replace replace -> replace.shard();
                case ShardWrite.Delete ignored -> null;
            };
            if (shard != null && !shard.tenantId().equals(tenant)) {
                throw new IllegalArgumentException("writes[" + i + "]: shard " + shard.id() + " belongs to tenant "
                        + shard.tenantId() + ", not to " + tenant + "; a store write never crosses tenants");
            }
        }
        // Serialising a page of documents is CPU work the single writer need not wait for:
        // large batches are serialised on every core before the write lock is taken.
        return writes.size() >= PARALLEL_SERIALISATION_FROM
                ? writes.parallelStream().map(PreparedWrite::of).toList()
                : writes.stream().map(PreparedWrite::of).toList();
    }

    private List<Shard> writeSerialised(TenantId tenant, List<PreparedWrite> prepared) {
        if (prepared.isEmpty()) {
            return List.of();
        }
        return db.write(Durability.PROCESS_CRASH, c -> apply(c, tenant, prepared));
    }

    /** This store's form of a prepared batch. */
    private record Serialised(List<PreparedWrite> writes) {
    }

    private List<Shard> apply(Connection c, TenantId tenant, List<PreparedWrite> writes) throws SQLException {
        List<String> ids = writes.stream().map(PreparedWrite::shardId).distinct().toList();
        // Only replaces and deletes need the rows they touch read first. An insert's shard id is
        // checked by the unique index when it is written, in any order (an existing shard stays
        // existing through the batch unless a delete in it, whose row is read, removes it). A
        // batch of inserts alone (a first import's every page) reads nothing: its links are
        // checked by the link index too. In a mixed batch the links are read as before, so that
        // an insert taking a link a later write of the batch frees conflicts, in request order.
        List<PreparedWrite> checked = writes.stream().filter(w -> !(w.write() instanceof ShardWrite.Insert)).toList();
        Map<String, CurrentRow> current = checked.isEmpty() ? new HashMap<>()
                : loadCurrent(c, tenant, checked.stream().map(PreparedWrite::shardId).distinct().toList());
        Map<ShardLinkKey, String> holders = loadHolders(c, tenant, checked.isEmpty() ? List.of() : writes);
        ShardBatchPlan plan = new ShardBatchPlan(current, holders, readEtagCounter(c));
        List<Shard> results = new ArrayList<>(writes.size());
        for (PreparedWrite w : writes) {
            results.add(plan.apply(w));
        }
        try {
            persist(c, tenant, plan);
        } catch (SQLException e) {
            if (SqliteDatabase.isUniqueViolation(e)) {
                // An inserted shard whose id exists, or that wants a link another shard holds
                // (the in-memory check above covers replaces and deletes).
                throw new StoreConflictException("the batch violates a uniqueness rule of the shard store: " + e.getMessage(), ids);
            }
            throw e;
        }
        return Collections.unmodifiableList(results);
    }

    private Map<String, CurrentRow> loadCurrent(Connection c, TenantId tenant, List<String> ids) throws SQLException {
        Map<String, CurrentRow> rows = new HashMap<>();
        for (List<String> chunk : db.chunks(ids, 1)) {
            try (PreparedStatement p = c.prepareStatement("SELECT row_id, shard_id, etag FROM shard WHERE tenant = ? AND shard_id IN ("
                    + SqliteDatabase.placeholders(chunk.size()) + ")")) {
                p.setString(1, tenant.value());
                int i = 2;
                for (String id : chunk) {
                    p.setString(i++, id);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(2), new CurrentRow(rs.getLong(1), rs.getLong(3), new ArrayList<>()));
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, CurrentRow> byRow = new HashMap<>();
        rows.values().forEach(r -> byRow.put(r.rowId(), r));
        for (List<Long> chunk : db.chunks(List.copyOf(byRow.keySet()), 0)) {
            try (PreparedStatement p = c.prepareStatement("SELECT shard_row, integration, entity, external_id FROM shard_link WHERE shard_row IN ("
                    + SqliteDatabase.placeholders(chunk.size()) + ") ORDER BY row_id")) {
                int i = 1;
                for (Long row : chunk) {
                    p.setLong(i++, row);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byRow.get(rs.getLong(1)).links().add(new ShardLinkKey(rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        return rows;
    }

    /** Who holds each link (with an external id) that a write in the batch wants. */
    private Map<ShardLinkKey, String> loadHolders(Connection c, TenantId tenant, List<PreparedWrite> writes) throws SQLException {
        Map<List<String>, LinkedHashSet<String>> wanted = new LinkedHashMap<>();
        for (PreparedWrite w : writes) {
            for (ShardLinkKey k : w.links()) {
                if (k.hasExternalId()) {
                    wanted.computeIfAbsent(List.of(k.integration(), k.entity()), x -> new LinkedHashSet<>()).add(k.externalId());
                }
            }
        }
        Map<ShardLinkKey, String> holders = new HashMap<>();
        for (Map.Entry<List<String>, LinkedHashSet<String>> e : wanted.entrySet()) {
            String integration = e.getKey().get(0);
            String entity = e.getKey().get(1);
            for (List<String> chunk : db.chunks(List.copyOf(e.getValue()), 3)) {
                try (PreparedStatement p = c.prepareStatement("SELECT external_id, shard_id FROM shard_link"
                        + " WHERE tenant = ? AND integration = ? AND entity = ? AND external_id IN ("
                        + SqliteDatabase.placeholders(chunk.size()) + ")")) {
                    p.setString(1, tenant.value());
                    p.setString(2, integration);
                    p.setString(3, entity);
                    int i = 4;
                    for (String id : chunk) {
                        p.setString(i++, id);
                    }
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            holders.put(new ShardLinkKey(integration, entity, rs.getString(1)), rs.getString(2));
                        }
                    }
                }
            }
        }
        return holders;
    }

    private static long readEtagCounter(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, ETAG_COUNTER);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Applies the plan's net change per shard with batched statements. */
    private static void persist(Connection c, TenantId tenant, ShardBatchPlan plan) throws SQLException {
        List<ShardBatchPlan.Outcome> outcomes = plan.outcomes();
        long nextRow;
        try (PreparedStatement p = c.prepareStatement("SELECT coalesce(max(row_id), 0) FROM shard");
             ResultSet rs = p.executeQuery()) {
            nextRow = rs.getLong(1) + 1;
        }
        try (PreparedStatement dropLinks = c.prepareStatement("DELETE FROM shard_link WHERE shard_row = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM shard WHERE row_id = ?");
             PreparedStatement update = c.prepareStatement("UPDATE shard SET shard_type = ?, deleted = ?, etag = ?, doc = ? WHERE row_id = ?");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO shard (row_id, tenant, shard_id, shard_type, deleted, etag, doc) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement addLink = c.prepareStatement("""
                     INSERT INTO shard_link (shard_row, tenant, integration, entity, external_id, shard_id,
                       synced_hash, seen_modified_at, synced_at, sync_status, sync_direction, shard_deleted)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement updateLink = c.prepareStatement("""
                     UPDATE shard_link SET synced_hash = ?, seen_modified_at = ?, synced_at = ?, sync_status = ?, sync_direction = ?,
                       shard_deleted = ?
                     WHERE shard_row = ? AND integration = ? AND entity = ? AND external_id IS ?""")) {
            int dropped = 0;
            int deleted = 0;
            int updated = 0;
            int inserted = 0;
            int linked = 0;
            int relinked = 0;
            for (ShardBatchPlan.Outcome o : outcomes) {
                PreparedWrite last = o.lastWrite();
                switch (o.kind()) {
                    case DELETED -> {
                        dropLinks.setLong(1, o.rowId());
                        dropLinks.addBatch();
                        dropped++;
                        delete.setLong(1, o.rowId());
                        delete.addBatch();
                        deleted++;
                    }
                    case UPDATED -> {
                        update.setString(1, last.shardType());
                        update.setInt(2, last.deleted() ? 1 : 0);
                        update.setLong(3, o.etag());
                        update.setString(4, last.doc());
                        update.setLong(5, o.rowId());
                        update.addBatch();
                        updated++;
                        if (o.linksChanged()) {
                            dropLinks.setLong(1, o.rowId());
                            dropLinks.addBatch();
                            dropped++;
                            linked += addLinks(addLink, o.rowId(), tenant, o.shardId(), last.linkRows());
                        } else {
                            // Same links: their rows stay, only their state follows the document.
                            relinked += updateLinks(updateLink, o.rowId(), last.linkRows());
                        }
                    }
                    case INSERTED -> {
                        long row = nextRow++;
                        insert.setLong(1, row);
                        insert.setString(2, tenant.value());
                        insert.setString(3, o.shardId());
                        insert.setString(4, last.shardType());
                        insert.setInt(5, last.deleted() ? 1 : 0);
                        insert.setLong(6, o.etag());
                        insert.setString(7, last.doc());
                        insert.addBatch();
                        inserted++;
                        linked += addLinks(addLink, row, tenant, o.shardId(), last.linkRows());
                    }
                }
            }
            // Links leave before new ones arrive, so a link moving between shards never
            // collides with itself in the unique index.
            if (dropped > 0) {
                dropLinks.executeBatch();
            }
            if (deleted > 0) {
                delete.executeBatch();
            }
            if (updated > 0) {
                update.executeBatch();
            }
            if (inserted > 0) {
                insert.executeBatch();
            }
            if (linked > 0) {
                addLink.executeBatch();
            }
            if (relinked > 0) {
                updateLink.executeBatch();
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, ETAG_COUNTER);
            p.setLong(2, plan.etagCounter());
            p.executeUpdate();
        }
    }

    private static int addLinks(PreparedStatement addLink, long row, TenantId tenant, String shardId, List<ShardLinkRow> links)
            throws SQLException {
        for (ShardLinkRow l : links) {
            addLink.setLong(1, row);
            addLink.setString(2, tenant.value());
            addLink.setString(3, l.key().integration());
            addLink.setString(4, l.key().entity());
            addLink.setString(5, l.key().externalId());
            addLink.setString(6, shardId);
            bindState(addLink, 7, l);
            addLink.addBatch();
        }
        return links.size();
    }

    private static int updateLinks(PreparedStatement updateLink, long row, List<ShardLinkRow> links) throws SQLException {
        for (ShardLinkRow l : links) {
            int next = bindState(updateLink, 1, l);
            updateLink.setLong(next, row);
            updateLink.setString(next + 1, l.key().integration());
            updateLink.setString(next + 2, l.key().entity());
            updateLink.setString(next + 3, l.key().externalId());
            updateLink.addBatch();
        }
        return links.size();
    }

    /** Binds the six state columns from {@code index} on; returns the next free index. */
    private static int bindState(PreparedStatement p, int index, ShardLinkRow l) throws SQLException {
        p.setString(index, l.syncedHash());
        setNullableLong(p, index + 1, l.seenModifiedAt());
        setNullableLong(p, index + 2, l.syncedAt());
        p.setString(index + 3, l.syncStatus());
        p.setString(index + 4, l.syncDirection());
        p.setInt(index + 5, l.shardDeleted() ? 1 : 0);
        return index + 6;
    }

    private static void setNullableLong(PreparedStatement p, int index, Long value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.INTEGER);
        } else {
            p.setLong(index, value);
        }
    }

    @Override
    public String toString() {
        return "SqliteShardStore[" + db.file() + "]";
    }

    /** A shard row as the batch found it. */
    record CurrentRow(long rowId, long etag, List<ShardLinkKey> links) {
    }

    /**
     * One write with its document already serialised (outside the write lock).
     *
     * @param links the keys of {@code linkRows}, in the same order
     * @param linkRows the shard's link rows with their state columns
     * @param expectedEtag parsed etag condition, {@code null} when unconditional
     */
    record PreparedWrite(ShardWrite write, String shardId, String shardType, boolean deleted, String doc,
                         List<ShardLinkKey> links, List<ShardLinkRow> linkRows, Long expectedEtag) {

        static PreparedWrite of(ShardWrite w) {
            return switch (w) {
                case ShardWrite.Insert insert -> ofShard(w, insert.shard(), null);
                case ShardWrite.Replace replace -> ofShard(w, replace.shard(),
                        replace.shard().etag() == null ? null : ShardEtags.parse(replace.shard().etag()));
                case ShardWrite.Delete delete -> new PreparedWrite(w, delete.shardId().value(), null, false, null, List.of(), List.of(),
                        delete.etag() == null ? null : ShardEtags.parse(delete.etag()));
            };
        }

        private static PreparedWrite ofShard(ShardWrite w, Shard shard, Long expectedEtag) {
            List<ShardLinkRow> rows = ShardLinkRow.of(shard);
            return new PreparedWrite(w, shard.id().value(), shard.shardTypeId(), shard.isDeleted(), SyncJson.write(shard.withEtag(null)),
                    ShardLinkRow.keys(rows), rows, expectedEtag);
        }
    }
}
