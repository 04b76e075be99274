package com.castiel.sync.standalone.store;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.standalone.store.sqlite.Durability;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link IntegrationStore} of the standalone runtime, in the embedded SQLite database.
 *
 * <p>One row per integration: the document as {@code SyncJson} text, plus the columns queries
 * need: unique integration id and webhook endpoint key (both unique across tenants), tenant, and
 * (status, next sync time) for the scheduler's due query, which reads that index in due order.
 * {@link #create} stores version 1; {@link #update} is a compare-and-set on the version inside
 * one write transaction, so of concurrent updates from the same version exactly one wins.
 * {@code createdAt} is kept when given and otherwise taken from the injected clock;
 * {@code updatedAt} is set from the clock on every write.
 *
 * <p>Writes are {@link Durability#PROCESS_CRASH}. Thread-safe.
 */
public final class SqliteIntegrationStore implements IntegrationStore {

    /** Column value of an unset {@code nextSyncAt}: due now, before every scheduled time. */
    private static final long DUE_NOW = Long.MIN_VALUE;

    private final SqliteDatabase db;
    private final Clock clock;

    public SqliteIntegrationStore(SqliteDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Integration> get(TenantId tenant, IntegrationId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return db.read(c -> one(c, "SELECT doc FROM integration WHERE integration_id = ? AND tenant = ?", id.value(), tenant.value()));
    }

    @Override
    public Optional<Integration> findByEndpointKey(String endpointKey) {
        if (endpointKey == null || endpointKey.isEmpty()) {
            return Optional.empty();
        }
        return db.read(c -> one(c, "SELECT doc FROM integration WHERE endpoint_key = ?", endpointKey));
    }

    @Override
    public Integration create(Integration integration) {
        Objects.requireNonNull(integration, "integration");
        return db.write(Durability.PROCESS_CRASH, c -> {
            String id = integration.id().value();
            if (exists(c, "SELECT 1 FROM integration WHERE integration_id = ?", id)) {
                throw new StoreConflictException("integration " + id + " already exists", List.of(id));
            }
            String key = integration.structuredData().webhookEndpointKey();
            if (key != null && exists(c, "SELECT 1 FROM integration WHERE endpoint_key = ?", key)) {
                throw keyTaken(id);
            }
            Instant now = clock.instant();
            Integration stored = new Integration(integration.id(), integration.tenantId(), integration.name(),
                    integration.structuredData(), 1, integration.createdAt() != null ? integration.createdAt() : now, now);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO integration"
                    + " (integration_id, tenant, status, next_sync_at, endpoint_key, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setString(2, stored.tenantId().value());
                bindColumns(p, 3, stored);
                p.setLong(6, stored.version());
                p.setString(7, SyncJson.write(stored));
                p.executeUpdate();
            } catch (SQLException e) {
                throw uniqueViolationAsConflict(e, id);
            }
            return stored;
        });
    }

    @Override
    public Integration update(Integration integration) {
        Objects.requireNonNull(integration, "integration");
        return db.write(Durability.PROCESS_CRASH, c -> {
            String id = integration.id().value();
            Integration current = one(c, "SELECT doc FROM integration WHERE integration_id = ? AND tenant = ?", id,
                    integration.tenantId().value()).orElseThrow(() -> new StoreConflictException(
                    "integration " + id + " does not exist (deleted meanwhile?)", List.of(id)));
            if (current.version() != integration.version()) {
                throw new StoreConflictException("integration " + id + " was changed concurrently: version "
                        + integration.version() + " is stale, stored version is " + current.version(), List.of(id));
            }
            String newKey = integration.structuredData().webhookEndpointKey();
            if (newKey != null && !newKey.equals(current.structuredData().webhookEndpointKey())
                    && exists(c, "SELECT 1 FROM integration WHERE endpoint_key = ?", newKey)) {
                throw keyTaken(id);
            }
            Integration stored = new Integration(current.id(), current.tenantId(), integration.name(), integration.structuredData(),
                    current.version() + 1, current.createdAt(), clock.instant());
            try (PreparedStatement p = c.prepareStatement("UPDATE integration"
                    + " SET status = ?, next_sync_at = ?, endpoint_key = ?, version = ?, doc = ?"
                    + " WHERE integration_id = ? AND version = ?")) {
                bindColumns(p, 1, stored);
                p.setLong(4, stored.version());
                p.setString(5, SyncJson.write(stored));
                p.setString(6, id);
                p.setLong(7, current.version());
                if (p.executeUpdate() != 1) {
                    throw new StoreConflictException("integration " + id + " was changed concurrently", List.of(id));
                }
            } catch (SQLException e) {
                throw uniqueViolationAsConflict(e, id);
            }
            return stored;
        });
    }

    /** Binds status, next_sync_at and endpoint_key at {@code first}, {@code first + 1}, {@code first + 2}. */
    private static void bindColumns(PreparedStatement p, int first, Integration i) throws SQLException {
        p.setString(first, i.status().wire());
        Instant next = i.structuredData().nextSyncAt();
        p.setLong(first + 1, next == null ? DUE_NOW : EpochNanos.nanos(next));
        p.setString(first + 2, i.structuredData().webhookEndpointKey());
    }

    @Override
    public List<Integration> findDue(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        requirePositive(limit);
        return db.read(c -> list(c, "SELECT doc FROM integration WHERE status = ? AND next_sync_at <= ?"
                + " ORDER BY next_sync_at, integration_id LIMIT ?", IntegrationStatus.ACTIVE.wire(), EpochNanos.nanos(now), limit));
    }

    @Override
    public List<Integration> list(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return db.read(c -> list(c, "SELECT doc FROM integration WHERE tenant = ? ORDER BY integration_id", tenant.value()));
    }

    @Override
    public List<Integration> listAll(IntegrationId afterId, int limit) {
        requirePositive(limit);
        // Integration ids are never blank, so every id sorts after the empty string.
        return db.read(c -> list(c, "SELECT doc FROM integration WHERE integration_id > ? ORDER BY integration_id LIMIT ?",
                afterId == null ? "" : afterId.value(), limit));
    }

    @Override
    public void delete(TenantId tenant, IntegrationId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        db.write(Durability.PROCESS_CRASH, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM integration WHERE integration_id = ? AND tenant = ?")) {
                p.setString(1, id.value());
                p.setString(2, tenant.value());
                return p.executeUpdate();
            }
        });
    }

    private static StoreConflictException keyTaken(String id) {
        return new StoreConflictException("webhookEndpointKey of integration " + id + " is already used by another integration", List.of(id));
    }

    private static RuntimeException uniqueViolationAsConflict(SQLException e, String id) throws SQLException {
        if (SqliteDatabase.isUniqueViolation(e)) {
            return new StoreConflictException("integration " + id + " conflicts with a stored integration: " + e.getMessage(), List.of(id));
        }
        throw e;
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, value);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<Integration> one(Connection c, String sql, Object... params) throws SQLException {
        List<Integration> found = list(c, sql, params);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Integration> list(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            List<Integration> result = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    result.add(parse(rs.getString(1)));
                }
            }
            return List.copyOf(result);
        }
    }

    private static Integration parse(String doc) {
        try {
            return SyncJson.mapper().readValue(doc, Integration.class);
        } catch (JsonProcessingException e) {
            throw new StorageException("a stored integration document cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    @Override
    public String toString() {
        return "SqliteIntegrationStore[" + db.file() + "]";
    }
}
