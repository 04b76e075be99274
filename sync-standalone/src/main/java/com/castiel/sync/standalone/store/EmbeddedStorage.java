package com.castiel.sync.standalone.store;

import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.castiel.sync.standalone.vault.EncryptedCredentialStore;
import com.castiel.sync.standalone.vault.MasterKey;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every storage port of the standalone runtime, backed by one SQLite file ({@code sync.db}, WAL
 * mode) in a data directory: shards, integrations, run history and checkpoints, the encrypted
 * credential vault, and the durable job queue (whose dead-letter sub-queues hold the dead
 * letters).
 *
 * <pre>{@code
 * try (EmbeddedStorage storage = EmbeddedStorage.open(Path.of("/var/lib/castiel-sync"), Clock.systemUTC())) {
 *     ShardStore shards = storage.shards();
 *     JobQueue queue = storage.queue();
 *     ...
 * }
 * }</pre>
 *
 * <p>Opening creates the directory (owner-only) if needed, locks it against other processes,
 * applies pending schema migrations, and loads the vault key ({@link MasterKey}: from
 * {@code SYNC_MASTER_KEY}, else {@code master.key} in the directory, created on first use). Each
 * accessor returns the same thread-safe instance every time.
 *
 * <p><b>Durability.</b> Every write is one SQLite transaction; when a method returns, its write
 * survives a crash of this process ({@code kill -9}) and nothing of a failed or interrupted write
 * is visible. Queue sends, dead-letter replays and credential changes additionally survive a
 * power loss; the rest may lose its newest commits on a power loss, never its consistency
 * (see {@link com.castiel.sync.standalone.store.sqlite.Durability}).
 *
 * <p>{@link #close()} closes the queue (waking blocked receivers), waits for the running write,
 * closes the database and releases the directory lock. Using a port afterwards throws
 * {@link IllegalStateException}.
 */
public final class EmbeddedStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStorage.class);

    private final DataDirectory directory;
    private final SqliteDatabase db;
    private final SqliteShardStore shards;
    private final SqliteIntegrationStore integrations;
    private final SqliteRunStore runs;
    private final EncryptedCredentialStore credentials;
    private final SqliteJobQueue queue;

    private EmbeddedStorage(DataDirectory directory, SqliteDatabase db, StorageSettings settings, MasterKey key) {
        this.directory = directory;
        this.db = db;
        this.shards = new SqliteShardStore(db);
        this.integrations = new SqliteIntegrationStore(db, settings.clock());
        this.runs = new SqliteRunStore(db);
        this.credentials = new EncryptedCredentialStore(db, key);
        this.queue = new SqliteJobQueue(db, settings.clock(), settings.queues());
    }

    /** Opens the data directory with the production defaults ({@link StorageSettings#of}). */
    public static EmbeddedStorage open(Path dataDirectory, Clock clock) {
        return open(StorageSettings.of(dataDirectory, clock));
    }

    /**
     * Opens (creating when needed) the storage in {@code settings.dataDirectory()}.
     *
     * @throws StorageException when the directory is in use by another process, or the database
     *     cannot be opened or was written by a newer release
     * @throws IllegalStateException when the vault key is malformed, too widely readable, or not
     *     the key the vault was created with
     */
    public static EmbeddedStorage open(StorageSettings settings) {
        Objects.requireNonNull(settings, "settings");
        DataDirectory directory = DataDirectory.open(settings.dataDirectory());
        SqliteDatabase db = null;
        try {
            MasterKey key = MasterKey.load(directory.path(), settings.environment());
            db = SqliteDatabase.open(directory.databaseFile(), settings.clock(), settings.readerConnections());
            EmbeddedStorage storage = new EmbeddedStorage(directory, db, settings, key);
            int released = storage.queue.releaseLocksOfPreviousProcess();
            if (released > 0) {
                LOG.info("Released {} message locks left by a process that stopped without settling them", released);
            }
            LOG.info("Opened embedded storage in {} (vault key from {})", directory.path(), key.source());
            return storage;
        } catch (RuntimeException e) {
            if (db != null) {
                db.close();
            }
            directory.close();
            throw e;
        }
    }

    /** Shards and their external links. */
    public ShardStore shards() {
        return shards;
    }

    /** Integration documents. */
    public IntegrationStore integrations() {
        return integrations;
    }

    /** Run history, checkpoints, entity positions and seen-sets. */
    public RunStore runs() {
        return runs;
    }

    /** The encrypted credential vault. */
    public CredentialStore credentials() {
        return credentials;
    }

    /** The durable job queue; dead letters are its dead-letter sub-queues. */
    public JobQueue queue() {
        return queue;
    }

    /** The data directory (absolute). */
    public Path dataDirectory() {
        return directory.path();
    }

    /** The SQLite database file. */
    public Path databaseFile() {
        return db.file();
    }

    /**
     * Runs SQLite's {@code PRAGMA integrity_check}: {@code ["ok"]} for a sound database, otherwise
     * the problems found. Reads the whole file; for health checks and tests, not for hot paths.
     */
    public List<String> checkIntegrity() {
        return db.read(c -> {
            List<String> lines = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return List.copyOf(lines);
        });
    }

    /** Closes the queue, the database and the directory lock. Idempotent. */
    @Override
    public void close() {
        try {
            queue.close();
            db.close();
        } finally {
            directory.close();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedStorage[" + directory.path() + "]";
    }
}
