package com.castiel.sync.standalone.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

    private static final MutableClock CLOCK = MutableClock.at("2025-01-15T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aNewDatabaseIsMigratedToTheLatestVersion() throws Exception {
        Path file = dir.resolve("a.db");
        SqliteDatabase.open(file, CLOCK, 1).close();

        assertThat(queryLong(file, "SELECT max(version) FROM schema_version")).isEqualTo(Schema.latestVersion());
        assertThat(queryLong(file, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'queue_message'")).isEqualTo(1);
    }

    @Test
    void reopeningAppliesNoMigrationTwice() throws Exception {
        Path file = dir.resolve("a.db");
        SqliteDatabase.open(file, CLOCK, 1).close();
        SqliteDatabase.open(file, CLOCK, 1).close();

        assertThat(queryLong(file, "SELECT count(*) FROM schema_version")).isEqualTo(Schema.MIGRATIONS.size());
    }

    @Test
    void aDatabaseWrittenByANewerReleaseIsRefused() throws Exception {
        Path file = dir.resolve("a.db");
        SqliteDatabase.open(file, CLOCK, 1).close();
        execute(file, "INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'from the future', 'x')");

        assertThatThrownBy(() -> SqliteDatabase.open(file, CLOCK, 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version 999")
                .hasMessageContaining("newer release");
    }

    @Test
    void pendingMigrationsApplyInOneTransactionSoAFailureLeavesNothingBehind() throws Exception {
        Path file = dir.resolve("a.db");
        List<SchemaMigration> migrations = List.of(
                new SchemaMigration(1, "one", List.of("CREATE TABLE first (x)")),
                new SchemaMigration(2, "two", List.of("CREATE TABLE second (x)", "THIS IS NOT SQL")));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThatThrownBy(() -> Schema.migrate(c, CLOCK, migrations)).isInstanceOf(SQLException.class);
        }

        assertThat(queryLong(file, "SELECT count(*) FROM sqlite_master WHERE name IN ('first', 'second')")).isZero();
    }

    @Test
    void laterMigrationsApplyOnTopOfEarlierOnes() throws Exception {
        Path file = dir.resolve("a.db");
        List<SchemaMigration> v1 = List.of(new SchemaMigration(1, "one", List.of("CREATE TABLE first (x)")));
        List<SchemaMigration> v2 = List.of(v1.get(0), new SchemaMigration(2, "two", List.of("ALTER TABLE first ADD COLUMN y")));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Schema.migrate(c, CLOCK, v1);
            Schema.migrate(c, CLOCK, v2);
        }

        assertThat(queryLong(file, "SELECT max(version) FROM schema_version")).isEqualTo(2);
        assertThat(queryLong(file, "SELECT count(*) FROM pragma_table_info('first') WHERE name = 'y'")).isEqualTo(1);
    }

    @Test
    void migrationVersionsMustHaveNoGaps() throws Exception {
        List<SchemaMigration> gap = List.of(new SchemaMigration(1, "one", List.of("CREATE TABLE a (x)")),
                new SchemaMigration(3, "three", List.of("CREATE TABLE b (x)")));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"))) {
            assertThatThrownBy(() -> Schema.migrate(c, CLOCK, gap)).isInstanceOf(IllegalStateException.class).hasMessageContaining("without gaps");
        }
    }

    private static long queryLong(Path file, String sql) throws SQLException {
        return RawSql.queryLong(file, sql);
    }

    private static void execute(Path file, String sql) throws SQLException {
        RawSql.execute(file, sql);
    }
}
