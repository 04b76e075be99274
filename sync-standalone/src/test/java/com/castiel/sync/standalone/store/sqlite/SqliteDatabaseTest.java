package com.castiel.sync.standalone.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {

    @TempDir
    Path dir;

    private SqliteDatabase db;

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(dir.resolve("t.db"), MutableClock.at("2025-01-15T10:00:00Z"), 2);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aWriteIsCommittedWhenItsWorkReturns() {
        db.write(Durability.PROCESS_CRASH, c -> put(c, "k", 1));

        assertThat(read("k")).isEqualTo(1);
    }

    @Test
    void aWriteWhoseWorkThrowsLeavesNothingBehind() {
        assertThatThrownBy(() -> db.write(Durability.PROCESS_CRASH, c -> {
            put(c, "a", 1);
            put(c, "b", 2);
            throw new IllegalStateException("changed my mind");
        })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");

        assertThat(read("a")).isNull();
        assertThat(read("b")).isNull();
    }

    @Test
    void anSqlFailureIsWrappedAndRolledBack() {
        assertThatThrownBy(() -> db.write(Durability.PROCESS_CRASH, c -> {
            put(c, "a", 1);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO no_such_table VALUES (1)");
            }
            return null;
        })).isInstanceOf(StorageException.class).hasMessageContaining("no_such_table");

        assertThat(read("a")).isNull();
    }

    @Test
    void aWriteMayNotStartAnotherWrite() {
        assertThatThrownBy(() -> db.write(Durability.PROCESS_CRASH, c -> db.write(Durability.PROCESS_CRASH, inner -> null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void eachDurabilityRunsAtItsSynchronousLevel() {
        int full = db.write(Durability.POWER_LOSS, SqliteDatabaseTest::synchronousLevel);
        int normal = db.write(Durability.PROCESS_CRASH, SqliteDatabaseTest::synchronousLevel);

        assertThat(full).isEqualTo(2);
        assertThat(normal).isEqualTo(1);
    }

    @Test
    void readersSeeTheLastCommitWhileAWriteIsInProgress() throws Exception {
        db.write(Durability.PROCESS_CRASH, c -> put(c, "k", 1));
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch readDone = new CountDownLatch(1);

        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> db.write(Durability.PROCESS_CRASH, c -> {
            put(c, "k", 2);
            written.countDown();
            await(readDone);
            return null;
        }));
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        Long duringWrite = read("k");
        readDone.countDown();
        writer.get(10, TimeUnit.SECONDS);

        assertThat(duringWrite).isEqualTo(1);
        assertThat(read("k")).isEqualTo(2);
    }

    @Test
    void aClosedDatabaseRefusesWork() {
        db.close();

        assertThatThrownBy(() -> db.read(c -> null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> db.write(Durability.PROCESS_CRASH, c -> null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inListsAreChunkedBelowTheParameterLimit() {
        var values = java.util.stream.IntStream.range(0, 10).boxed().toList();

        assertThat(db.maxVariables()).isGreaterThanOrEqualTo(999);
        assertThat(db.chunks(values, 2)).hasSize(1);
        assertThat(db.chunks(java.util.stream.IntStream.range(0, db.maxVariables()).boxed().toList(), 2)).hasSize(2);
    }

    @Test
    void epochNanosKeepFullPrecisionAndClampOutOfRangeInstants() {
        Instant precise = Instant.parse("2025-01-15T10:00:00.123456789Z");

        assertThat(EpochNanos.toInstant(EpochNanos.nanos(precise))).isEqualTo(precise);
        assertThat(EpochNanos.nanos(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(EpochNanos.nanos(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(EpochNanos.nanos(Instant.parse("1960-01-01T00:00:00Z"))).isNegative();
    }

    private static Object put(Connection c, String key, long value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setLong(2, value);
            p.executeUpdate();
        }
        return null;
    }

    private Long read(String key) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                p.setString(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
    }

    private static int synchronousLevel(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            return rs.getInt(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
