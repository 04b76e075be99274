package com.castiel.sync.standalone.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One SQLite database file in WAL mode, shared by every embedded store: one writer connection
 * and a small pool of reader connections.
 *
 * <p><b>Writes</b> ({@link #write}) run one at a time: SQLite allows a single writer, so writers
 * queue on a lock in the JVM instead of spinning on {@code SQLITE_BUSY} (a busy timeout is still
 * set, for other programs touching the file). Each write is one {@code BEGIN IMMEDIATE …
 * COMMIT} transaction at the {@link Durability} the caller asks for; an exception rolls it back
 * entirely. <b>Reads</b> ({@link #read}) borrow a reader connection and see the last committed
 * state; WAL lets them run while a write is in progress.
 *
 * <p>Thread-safe. Connections are lent to one thread at a time and must not escape the work they
 * were lent to. After {@link #close()} every call throws {@link IllegalStateException}.
 */
public final class SqliteDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int SQLITE_LIMIT_VARIABLE_NUMBER = 9;
    private static final int MAX_CACHED_STATEMENTS = 128;

    private final Path file;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders = new ArrayList<>();
    private final int maxVariables;
    /** Per connection; each inner map is only touched by the thread the connection is lent to. */
    private final Map<Connection, Map<String, PreparedStatement>> statements = new IdentityHashMap<>();
    private Durability writerDurability = Durability.PROCESS_CRASH;
    private volatile boolean closed;

    private SqliteDatabase(Path file, Connection writer, List<Connection> readerConnections, int maxVariables) {
        this.file = file;
        this.writer = writer;
        this.readers = new ArrayBlockingQueue<>(readerConnections.size(), false, readerConnections);
        this.allReaders.addAll(readerConnections);
        this.maxVariables = maxVariables;
        statements.put(writer, new HashMap<>());
        readerConnections.forEach(r -> statements.put(r, new HashMap<>()));
    }

    /**
     * Opens (creating if needed) the database at {@code file}, switches it to WAL and applies the
     * pending {@link Schema} migrations.
     *
     * @param readerConnections size of the reader pool, at least 1
     * @throws StorageException when the file cannot be opened or migrated
     */
    public static SqliteDatabase open(Path file, Clock clock, int readerConnections) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        if (readerConnections < 1) {
            throw new IllegalArgumentException("readerConnections must be at least 1, was " + readerConnections);
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = connect(url, false);
            opened.add(writer);
            try (Statement s = writer.createStatement()) {
                try (var rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                    String mode = rs.getString(1);
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new StorageException("SQLite refused WAL mode for " + file + " (journal mode is " + mode
                                + "); the file system may not support shared memory");
                    }
                }
                // Keeps the log file from staying large after a burst of writes.
                s.execute("PRAGMA journal_size_limit=67108864");
            }
            Schema.migrate(writer, clock);
            List<Connection> readerList = new ArrayList<>();
            for (int i = 0; i < readerConnections; i++) {
                Connection reader = connect(url, true);
                opened.add(reader);
                readerList.add(reader);
            }
            int limit = writer.unwrap(SQLiteConnection.class).getDatabase().limit(SQLITE_LIMIT_VARIABLE_NUMBER, -1);
            LOG.debug("Opened {} (schema version {}, {} readers)", file, Schema.latestVersion(), readerConnections);
            return new SqliteDatabase(file, writer, readerList, limit);
        } catch (SQLException e) {
            closeConnections(opened);
            throw new StorageException("cannot open the database " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeConnections(opened);
            throw e;
        }
    }

    private static Connection connect(String url, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // Negative: KiB. The writer keeps more pages hot (indexes touched by every page write).
        config.setCacheSize(readOnly ? -8_192 : -32_768);
        Connection c = DriverManager.getConnection(url, config.toProperties());
        if (readOnly) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only=1");
            }
        }
        return c;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * The most {@code ?} parameters one statement may carry (SQLite's
     * {@code SQLITE_LIMIT_VARIABLE_NUMBER} in this build); batched IN lists are chunked below it.
     */
    public int maxVariables() {
        return maxVariables;
    }

    /**
     * Runs {@code work} in one write transaction and commits it with the given durability. When
     * {@code work} throws, the transaction is rolled back and the exception propagates
     * (an {@link SQLException} wrapped in {@link StorageException}, runtime exceptions as they
     * are). Blocks while another write runs.
     *
     * @throws IllegalStateException when called from inside another write on the same thread
     */
    public <T> T write(Durability durability, SqlWork<T> work) {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(work, "work");
        if (writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("nested write transaction: a write must not start another write");
        }
        writeLock.lock();
        try {
            requireOpen();
            try (Statement s = writer.createStatement()) {
                if (durability != writerDurability) {
                    // The safety level cannot change inside a transaction; set it before BEGIN.
                    s.execute("PRAGMA synchronous=" + durability.pragmaValue());
                    writerDurability = durability;
                }
                s.execute("BEGIN IMMEDIATE");
                T result;
                try {
                    result = work.run(writer);
                } catch (SQLException | RuntimeException | Error e) {
                    rollback(s, e);
                    throw e;
                }
                s.execute("COMMIT");
                return result;
            }
        } catch (SQLException e) {
            throw new StorageException("write to " + file.getFileName() + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private static void rollback(Statement s, Throwable cause) {
        try {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls some failures (disk full, I/O errors) back itself; then there is
            // nothing left to roll back and the original failure is what matters.
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * Runs {@code work} on a reader connection: it sees the state of the last commit before each
     * statement it runs. Blocks while every reader is in use.
     */
    public <T> T read(SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        requireOpen();
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a database reader");
        }
        try {
            requireOpen();
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("read from " + file.getFileName() + " failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    /**
     * A prepared statement for {@code sql} on a connection lent by {@link #write} or {@link #read},
     * kept for the connection's lifetime, for statements run on hot paths (preparing costs about
     * as much as running a small statement). Use it only inside the work the connection was lent
     * to, never close it, bind every parameter before each run, and close every result set it
     * returns. Only for constant SQL: at most {@value #MAX_CACHED_STATEMENTS} distinct statements
     * are cached per connection.
     *
     * @throws IllegalStateException when the cache is full (variable SQL passed by mistake)
     */
    public PreparedStatement prepared(Connection connection, String sql) throws SQLException {
        Map<String, PreparedStatement> cache = statements.get(connection);
        if (cache == null) {
            throw new IllegalArgumentException("the connection does not belong to " + this);
        }
        PreparedStatement p = cache.get(sql);
        if (p == null) {
            if (cache.size() >= MAX_CACHED_STATEMENTS) {
                throw new IllegalStateException("more than " + MAX_CACHED_STATEMENTS
                        + " distinct cached statements: use prepareStatement for SQL built at run time");
            }
            p = connection.prepareStatement(sql);
            cache.put(sql, p);
        }
        return p;
    }

    /** True when {@code e} is a UNIQUE or PRIMARY KEY constraint violation. */
    public static boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return false;
    }

    /** {@code ?, ?, …} with {@code count} parameters, for IN lists. */
    public static String placeholders(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an IN list needs at least one parameter");
        }
        StringBuilder sb = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "?" : ",?");
        }
        return sb.toString();
    }

    /**
     * Splits {@code values} into chunks that fit one statement next to {@code otherParameters}
     * fixed parameters.
     */
    public <V> List<List<V>> chunks(List<V> values, int otherParameters) {
        int size = Math.max(1, maxVariables - otherParameters);
        List<List<V>> chunks = new ArrayList<>((values.size() + size - 1) / size);
        for (int from = 0; from < values.size(); from += size) {
            chunks.add(values.subList(from, Math.min(values.size(), from + size)));
        }
        return chunks;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the database " + file.getFileName() + " is closed");
        }
    }

    /**
     * Waits for the running write and for borrowed readers (up to 10 s), then closes every
     * connection. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA optimize");
            } catch (SQLException e) {
                LOG.debug("PRAGMA optimize failed on close", e);
            }
            closeQuietly(List.of(writer));
        } finally {
            writeLock.unlock();
        }
        List<Connection> returned = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (returned.size() < allReaders.size()) {
            try {
                Connection c = readers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (c == null) {
                    LOG.warn("Closing {} while {} reads are still running", file, allReaders.size() - returned.size());
                    break;
                }
                returned.add(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(allReaders);
    }

    private void closeQuietly(List<Connection> connections) {
        for (Connection c : connections) {
            Map<String, PreparedStatement> cached = statements.get(c);
            for (PreparedStatement p : cached == null ? List.<PreparedStatement>of() : cached.values()) {
                try {
                    p.close();
                } catch (SQLException e) {
                    LOG.debug("closing a statement failed", e);
                }
            }
        }
        closeConnections(connections);
    }

    private static void closeConnections(List<Connection> connections) {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a connection failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteDatabase[" + file + (closed ? ", closed" : "") + "]";
    }
}
