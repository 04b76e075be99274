package com.castiel.sync.standalone.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database's schema, as a list of forward migrations recorded in
 * {@code schema_version}. Opening a database applies the migrations it has not seen, all in one
 * transaction, and refuses a database written by a newer build.
 *
 * <p>Design rules the tables follow (see STACK.md §2.2–2.3 for the measurements behind them):
 * <ul>
 *   <li>Hot tables have INTEGER rowid primary keys, so inserts append to the table's B-tree;
 *       natural keys (shard ids, run ids, message ids) are unique secondary indexes.</li>
 *   <li>Documents are JSON text written by {@code SyncJson}; the columns next to them hold only
 *       what queries filter or sort on.</li>
 *   <li>Instants are {@link EpochNanos} integers.</li>
 * </ul>
 */
public final class Schema {

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    /** Every migration, in version order. */
    public static final List<SchemaMigration> MIGRATIONS = List.of(
            new SchemaMigration(1, "shards, integrations, runs, credentials, job queue", List.of(
                    // Small key/value settings kept with the data (etag counter, vault key check).
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",

                    // ---- shards ----
                    // etag: a store-wide counter value, so an etag is never reused, not even by a
                    // shard deleted and inserted again under the same id.
                    """
                    CREATE TABLE shard (
                      row_id INTEGER PRIMARY KEY,
                      tenant TEXT NOT NULL,
                      shard_id TEXT NOT NULL,
                      shard_type TEXT NOT NULL,
                      deleted INTEGER NOT NULL,
                      etag INTEGER NOT NULL,
                      doc TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX shard_by_id ON shard (tenant, shard_id)",
                    "CREATE INDEX shard_live_by_type ON shard (tenant, shard_type) WHERE deleted = 0",
                    // One row per external relationship. The unique index enforces "one shard per
                    // link" (NULL external ids never collide) and serves lookups by external id;
                    // shard_id is repeated here so listLinked pages through an index in shard-id order.
                    """
                    CREATE TABLE shard_link (
                      row_id INTEGER PRIMARY KEY,
                      shard_row INTEGER NOT NULL,
                      tenant TEXT NOT NULL,
                      integration TEXT NOT NULL,
                      entity TEXT NOT NULL,
                      external_id TEXT,
                      shard_id TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX shard_link_by_external ON shard_link (tenant, integration, entity, external_id)",
                    "CREATE INDEX shard_link_by_entity ON shard_link (tenant, integration, entity, shard_id)",
                    "CREATE INDEX shard_link_by_shard ON shard_link (shard_row)",

                    // ---- integrations ----
                    // next_sync_at: NULL ("due now") is stored as the smallest integer, so the due
                    // query is one range scan of (status, next_sync_at) in due order.
                    """
                    CREATE TABLE integration (
                      row_id INTEGER PRIMARY KEY,
                      integration_id TEXT NOT NULL,
                      tenant TEXT NOT NULL,
                      status TEXT NOT NULL,
                      next_sync_at INTEGER NOT NULL,
                      endpoint_key TEXT,
                      version INTEGER NOT NULL,
                      doc TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX integration_by_id ON integration (integration_id)",
                    "CREATE UNIQUE INDEX integration_by_endpoint_key ON integration (endpoint_key)",
                    "CREATE INDEX integration_due ON integration (status, next_sync_at, integration_id)",
                    "CREATE INDEX integration_by_tenant ON integration (tenant, integration_id)",

                    // ---- runs, checkpoints, entity positions, seen-sets ----
                    """
                    CREATE TABLE sync_run (
                      row_id INTEGER PRIMARY KEY,
                      run_id TEXT NOT NULL,
                      tenant TEXT NOT NULL,
                      integration TEXT NOT NULL,
                      started_at INTEGER NOT NULL,
                      doc TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX sync_run_by_id ON sync_run (run_id)",
                    "CREATE INDEX sync_run_history ON sync_run (tenant, integration, started_at, run_id)",
                    """
                    CREATE TABLE sync_checkpoint (
                      row_id INTEGER PRIMARY KEY,
                      tenant TEXT NOT NULL,
                      integration TEXT NOT NULL,
                      doc TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX sync_checkpoint_by_integration ON sync_checkpoint (tenant, integration)",
                    """
                    CREATE TABLE entity_state (
                      row_id INTEGER PRIMARY KEY,
                      tenant TEXT NOT NULL,
                      integration TEXT NOT NULL,
                      entity TEXT NOT NULL,
                      doc TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX entity_state_by_entity ON entity_state (tenant, integration, entity)",
                    """
                    CREATE TABLE run_seen (
                      row_id INTEGER PRIMARY KEY,
                      run_id TEXT NOT NULL,
                      entity TEXT NOT NULL,
                      external_id TEXT NOT NULL)""",
                    "CREATE UNIQUE INDEX run_seen_by_id ON run_seen (run_id, entity, external_id)",

                    // ---- credential vault: AES-GCM ciphertexts; only the expiry is in clear ----
                    """
                    CREATE TABLE credential (
                      row_id INTEGER PRIMARY KEY,
                      tenant TEXT NOT NULL,
                      integration TEXT NOT NULL,
                      expires_at INTEGER,
                      nonce BLOB NOT NULL,
                      ciphertext BLOB NOT NULL)""",
                    "CREATE UNIQUE INDEX credential_by_integration ON credential (tenant, integration)",
                    "CREATE INDEX credential_by_expiry ON credential (expires_at) WHERE expires_at IS NOT NULL",

                    // ---- job queue ----
                    "CREATE TABLE queue (queue_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
                    // available_at: when the message can next be received: its visible time while
                    // unlocked, its lock expiry while locked. Receives read the head of
                    // (queue_id, available_at, seq) and never scan past locked or scheduled messages.
                    // AUTOINCREMENT: a sequence number is never reused, even after the newest
                    // message was completed.
                    """
                    CREATE TABLE queue_message (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT,
                      queue_id INTEGER NOT NULL,
                      message_id TEXT NOT NULL,
                      session_id TEXT,
                      body BLOB NOT NULL,
                      correlation_id TEXT,
                      properties TEXT,
                      visible_at INTEGER NOT NULL,
                      expires_at INTEGER NOT NULL,
                      available_at INTEGER NOT NULL,
                      delivery_count INTEGER NOT NULL,
                      lock_token TEXT,
                      locked_until INTEGER,
                      session_token TEXT)""",
                    "CREATE INDEX queue_message_available ON queue_message (queue_id, available_at, seq)",
                    "CREATE INDEX queue_message_by_session ON queue_message (queue_id, session_id, seq) WHERE session_id IS NOT NULL",
                    """
                    CREATE TABLE queue_session (
                      row_id INTEGER PRIMARY KEY,
                      queue_id INTEGER NOT NULL,
                      session_id TEXT NOT NULL,
                      token TEXT NOT NULL,
                      locked_until INTEGER NOT NULL)""",
                    "CREATE UNIQUE INDEX queue_session_by_id ON queue_session (queue_id, session_id)",
                    """
                    CREATE TABLE queue_dead_letter (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT,
                      queue_id INTEGER NOT NULL,
                      message_id TEXT NOT NULL,
                      session_id TEXT,
                      body BLOB NOT NULL,
                      correlation_id TEXT,
                      properties TEXT,
                      reason TEXT NOT NULL,
                      description TEXT,
                      delivery_count INTEGER NOT NULL,
                      dead_lettered_at INTEGER NOT NULL)""",
                    "CREATE INDEX queue_dead_letter_by_queue ON queue_dead_letter (queue_id, seq)",
                    // Duplicate detection: message ids accepted within the window. Rows are
                    // appended in acceptance order and pruned from the oldest rowid.
                    """
                    CREATE TABLE queue_recent_id (
                      row_id INTEGER PRIMARY KEY,
                      queue_id INTEGER NOT NULL,
                      message_id TEXT NOT NULL,
                      accepted_at INTEGER NOT NULL)""",
                    "CREATE UNIQUE INDEX queue_recent_id_by_id ON queue_recent_id (queue_id, message_id)")),

            // The inbound pipeline decides most records (unchanged, stale, outbound-only) and the
            // sweep most links on these columns alone, without reading shard rows. They copy the
            // link's relationship (the first one per link, as lookups pick it) and the shard's
            // deleted flag, are written with the document, and are filled here from the rows and
            // documents already stored.
            new SchemaMigration(2, "link state columns on shard_link, back-filled from the shard documents", List.of(
                    "ALTER TABLE shard_link ADD COLUMN synced_hash TEXT",
                    "ALTER TABLE shard_link ADD COLUMN seen_modified_at INTEGER",
                    "ALTER TABLE shard_link ADD COLUMN synced_at INTEGER",
                    "ALTER TABLE shard_link ADD COLUMN sync_status TEXT",
                    "ALTER TABLE shard_link ADD COLUMN sync_direction TEXT",
                    "ALTER TABLE shard_link ADD COLUMN shard_deleted INTEGER NOT NULL DEFAULT 0",
                    "UPDATE shard_link SET shard_deleted = (SELECT s.deleted FROM shard s WHERE s.row_id = shard_link.shard_row)",
                    """
                    UPDATE shard_link SET synced_hash = src.synced_hash, seen_modified_at = %s, synced_at = %s,
                      sync_status = src.sync_status, sync_direction = src.sync_direction
                    FROM (
                      SELECT l.row_id AS link_row,
                        json_extract(r.value, '$.lastSyncedHash') AS synced_hash,
                        json_extract(r.value, '$.lastSeenModifiedAt') AS seen_modified_at,
                        json_extract(r.value, '$.lastSyncedAt') AS synced_at,
                        json_extract(r.value, '$.syncStatus') AS sync_status,
                        json_extract(r.value, '$.syncDirection') AS sync_direction,
                        row_number() OVER (PARTITION BY l.row_id ORDER BY r.key) AS n
                      FROM shard_link l JOIN shard s ON s.row_id = l.shard_row, json_each(s.doc, '$.external_relationships') r
                      WHERE json_extract(r.value, '$.integrationId') = l.integration
                        AND json_extract(r.value, '$.externalEntity') = l.entity
                        AND json_extract(r.value, '$.externalId') IS l.external_id) AS src
                    WHERE shard_link.row_id = src.link_row AND src.n = 1"""
                            .formatted(isoInstantToEpochNanos("src.seen_modified_at"), isoInstantToEpochNanos("src.synced_at")))),
            // A full scan writes one seen-set row per record: keyed by (run, entity, external id)
            // in one b-tree instead of a rowid table plus a unique index, each mark is one insert
            // into one tree. Rows of a scan in progress are carried over, so it can resume.
            new SchemaMigration(3, "run_seen as one b-tree keyed by run, entity and external id", List.of(
                    """
                    CREATE TABLE run_seen_keyed (
                      run_id TEXT NOT NULL,
                      entity TEXT NOT NULL,
                      external_id TEXT NOT NULL,
                      PRIMARY KEY (run_id, entity, external_id)) WITHOUT ROWID""",
                    "INSERT INTO run_seen_keyed (run_id, entity, external_id) SELECT run_id, entity, external_id FROM run_seen",
                    "DROP TABLE run_seen",
                    "ALTER TABLE run_seen_keyed RENAME TO run_seen")));

    private Schema() {
    }

    /**
     * SQL turning an ISO-8601 instant as Jackson writes it ({@code 2025-01-15T10:00:00Z}, with 0
     * to 9 fraction digits) into {@link EpochNanos}, clamped the same way; {@code NULL} stays
     * {@code NULL}, and so does text SQLite cannot read as a date (years outside 0000-9999).
     */
    static String isoInstantToEpochNanos(String column) {
        String seconds = "unixepoch(substr(" + column + ", 1, 19))";
        String fraction = "(CASE WHEN substr(" + column + ", 20, 1) = '.' THEN CAST(substr(substr(" + column + ", 21, length("
                + column + ") - 21) || '000000000', 1, 9) AS INTEGER) ELSE 0 END)";
        return "(CASE WHEN " + seconds + " IS NULL THEN NULL"
                + " WHEN " + seconds + " >= 9223372036 THEN 9223372036854775807"
                + " WHEN " + seconds + " <= -9223372036 THEN (-9223372036854775807 - 1)"
                + " ELSE " + seconds + " * 1000000000 + " + fraction + " END)";
    }

    /** The version a fully migrated database has. */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Brings the database on {@code connection} (in autocommit mode) to {@link #latestVersion()}.
     *
     * @throws StorageException when the database was written by a newer build
     */
    static void migrate(Connection connection, Clock clock) throws SQLException {
        migrate(connection, clock, MIGRATIONS);
    }

    static void migrate(Connection connection, Clock clock, List<SchemaMigration> migrations) throws SQLException {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalStateException("migration versions must run 1, 2, 3… without gaps; found "
                        + migrations.get(i).version() + " at position " + (i + 1));
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS schema_version (
                          version INTEGER PRIMARY KEY,
                          description TEXT NOT NULL,
                          applied_at TEXT NOT NULL)""");
                int current;
                try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                    current = rs.getInt(1);
                }
                int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
                if (current > latest) {
                    throw new StorageException("the database has schema version " + current + " but this build knows versions up to "
                            + latest + "; it was written by a newer release: run that release, or restore a backup");
                }
                for (SchemaMigration m : migrations.subList(current, migrations.size())) {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                    try (PreparedStatement p = connection.prepareStatement(
                            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                        p.setInt(1, m.version());
                        p.setString(2, m.description());
                        p.setString(3, clock.instant().toString());
                        p.executeUpdate();
                    }
                    LOG.info("Applied schema migration {}: {}", m.version(), m.description());
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }
}
