package com.castiel.sync.standalone.store;

import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.standalone.store.sqlite.Durability;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link RunStore} of the standalone runtime, in the embedded SQLite database.
 *
 * <p>Runs are keyed by id (unique across tenants) and readable only within their tenant;
 * {@link #history} reads the index (tenant, integration, startedAt, id) backwards: newest first,
 * ties broken by id descending. At most one checkpoint per (tenant, integration) and one sync
 * state per (tenant, integration, entity); saving replaces. Seen-sets are rows of a table keyed
 * by (run, entity, external id) (one b-tree, no rowid), written a page at a time with one batched
 * insert and probed with one statement per batch of ids (passed as a JSON array); they accumulate
 * until {@link #clearSeen}.
 *
 * <p>Every write is one transaction at {@link Durability#PROCESS_CRASH}: durable when the method
 * returns against a crash of this process. A checkpoint is committed after the shard page it
 * describes, and the write-ahead log replays commits in order, so after any crash (even a power
 * loss, which may drop the newest commits) a checkpoint never points past the shards that exist.
 *
 * <p>Thread-safe.
 */
public final class SqliteRunStore implements RunStore {

    private final SqliteDatabase db;

    public SqliteRunStore(SqliteDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when a run with that id belongs to another tenant
     */
    @Override
    public void saveRun(SyncRun run) {
        Objects.requireNonNull(run, "run");
        db.write(Durability.PROCESS_CRASH, c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO sync_run (run_id, tenant, integration, started_at, doc) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (run_id) DO UPDATE SET integration = excluded.integration, started_at = excluded.started_at,
                      doc = excluded.doc
                    WHERE sync_run.tenant = excluded.tenant""")) {
                p.setString(1, run.id().value());
                p.setString(2, run.tenantId().value());
                p.setString(3, run.integrationId().value());
                p.setLong(4, EpochNanos.nanos(run.startedAt()));
                p.setString(5, SyncJson.write(run));
                if (p.executeUpdate() == 0) {
                    throw new IllegalArgumentException("run " + run.id() + " belongs to another tenant and cannot be replaced by a run of tenant "
                            + run.tenantId());
                }
            }
            return null;
        });
    }

    @Override
    public Optional<SyncRun> run(TenantId tenant, RunId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return db.read(c -> first(docs(c, "SELECT doc FROM sync_run WHERE run_id = ? AND tenant = ?", id.value(), tenant.value()), SyncRun.class));
    }

    @Override
    public List<SyncRun> history(TenantId tenant, IntegrationId integration, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return db.read(c -> docs(c, "SELECT doc FROM sync_run WHERE tenant = ? AND integration = ?"
                + " ORDER BY started_at DESC, run_id DESC LIMIT ?", tenant.value(), integration.value(), limit)
                .stream().map(d -> parse(d, SyncRun.class)).toList());
    }

    @Override
    public Optional<SyncCheckpoint> checkpoint(TenantId tenant, IntegrationId integration) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        return db.read(c -> first(docs(c, "SELECT doc FROM sync_checkpoint WHERE tenant = ? AND integration = ?",
                tenant.value(), integration.value()), SyncCheckpoint.class));
    }

    @Override
    public void saveCheckpoint(SyncCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        db.write(Durability.PROCESS_CRASH, c -> update(c, """
                INSERT INTO sync_checkpoint (tenant, integration, doc) VALUES (?, ?, ?)
                ON CONFLICT (tenant, integration) DO UPDATE SET doc = excluded.doc""",
                checkpoint.tenantId().value(), checkpoint.integrationId().value(), SyncJson.write(checkpoint)));
    }

    @Override
    public void clearCheckpoint(TenantId tenant, IntegrationId integration) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        db.write(Durability.PROCESS_CRASH, c -> update(c, "DELETE FROM sync_checkpoint WHERE tenant = ? AND integration = ?",
                tenant.value(), integration.value()));
    }

    @Override
    public Optional<EntitySyncState> entityState(TenantId tenant, IntegrationId integration, String entity) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(entity, "entity");
        return db.read(c -> first(docs(c, "SELECT doc FROM entity_state WHERE tenant = ? AND integration = ? AND entity = ?",
                tenant.value(), integration.value(), entity), EntitySyncState.class));
    }

    @Override
    public void saveEntityState(EntitySyncState state) {
        Objects.requireNonNull(state, "state");
        db.write(Durability.PROCESS_CRASH, c -> update(c, """
                INSERT INTO entity_state (tenant, integration, entity, doc) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant, integration, entity) DO UPDATE SET doc = excluded.doc""",
                state.tenantId().value(), state.integrationId().value(), state.entity(), SyncJson.write(state)));
    }

    private static final String MARK_SEEN = "INSERT INTO run_seen (run_id, entity, external_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String SEEN_AMONG = "SELECT external_id FROM run_seen WHERE run_id = ? AND entity = ?"
            + " AND external_id IN (SELECT value FROM json_each(?))";

    @Override
    public void markSeen(RunId run, String entity, Collection<String> externalIds) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(externalIds, "externalIds");
        List<String> ids = externalIds.stream().filter(Objects::nonNull).distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        db.write(Durability.PROCESS_CRASH, c -> {
            PreparedStatement p = db.prepared(c, MARK_SEEN);
            // A cached statement: a batch left over by a failed call must not be replayed here.
            p.clearBatch();
            for (String id : ids) {
                p.setString(1, run.value());
                p.setString(2, entity);
                p.setString(3, id);
                p.addBatch();
            }
            p.executeBatch();
            return null;
        });
    }

    @Override
    public Set<String> seenAmong(RunId run, String entity, Collection<String> externalIds) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(externalIds, "externalIds");
        List<String> ids = externalIds.stream().filter(Objects::nonNull).distinct().toList();
        if (ids.isEmpty()) {
            return Set.of();
        }
        // The ids go in as one JSON array, so the statement is prepared once per connection.
        String idArray = SyncJson.write(ids);
        return db.read(c -> {
            PreparedStatement p = db.prepared(c, SEEN_AMONG);
            p.setString(1, run.value());
            p.setString(2, entity);
            p.setString(3, idArray);
            Set<String> seen = new HashSet<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                }
            }
            return Set.copyOf(seen);
        });
    }

    @Override
    public void clearSeen(RunId run) {
        Objects.requireNonNull(run, "run");
        db.write(Durability.PROCESS_CRASH, c -> update(c, "DELETE FROM run_seen WHERE run_id = ?", run.value()));
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            return p.executeUpdate();
        }
    }

    private static List<String> docs(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            List<String> docs = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    docs.add(rs.getString(1));
                }
            }
            return docs;
        }
    }

    private static <T> Optional<T> first(List<String> docs, Class<T> type) {
        return docs.isEmpty() ? Optional.empty() : Optional.of(parse(docs.get(0), type));
    }

    private static <T> T parse(String doc, Class<T> type) {
        try {
            return SyncJson.mapper().readValue(doc, type);
        } catch (JsonProcessingException e) {
            throw new StorageException("a stored " + type.getSimpleName() + " document cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SqliteRunStore[" + db.file() + "]";
    }
}
