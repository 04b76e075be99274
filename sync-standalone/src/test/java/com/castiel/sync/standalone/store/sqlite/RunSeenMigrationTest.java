package com.castiel.sync.standalone.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.RunId;
import com.castiel.sync.standalone.store.SqliteRunStore;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 3 rebuilds {@code run_seen} as a table keyed by (run, entity, external id):
 * the seen-set of a full scan in progress when the database is upgraded must survive, or the
 * resumed scan's sweep would take the records it saw before the upgrade for deleted ones.
 */
class RunSeenMigrationTest {

    private static final MutableClock CLOCK = MutableClock.at("2025-01-15T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theSeenSetOfAScanInProgressSurvivesTheRebuild() throws Exception {
        Path file = dir.resolve("v2.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Schema.migrate(c, CLOCK, Schema.MIGRATIONS.subList(0, 2));
            try (PreparedStatement p = c.prepareStatement("INSERT INTO run_seen (run_id, entity, external_id) VALUES (?, ?, ?)")) {
                for (String[] row : List.of(new String[] {"run-1", "Account", "001"}, new String[] {"run-1", "Account", "002"},
                        new String[] {"run-1", "Contact", "001"}, new String[] {"run-2", "Account", "003"})) {
                    p.setString(1, row[0]);
                    p.setString(2, row[1]);
                    p.setString(3, row[2]);
                    p.executeUpdate();
                }
            }
        }

        try (SqliteDatabase db = SqliteDatabase.open(file, CLOCK, 1)) {
            SqliteRunStore runs = new SqliteRunStore(db);

            assertThat(runs.seenAmong(RunId.of("run-1"), "Account", List.of("001", "002", "003"))).containsExactlyInAnyOrder("001", "002");
            assertThat(runs.seenAmong(RunId.of("run-1"), "Contact", List.of("001", "002"))).containsExactly("001");
            assertThat(runs.seenAmong(RunId.of("run-2"), "Account", List.of("003"))).containsExactly("003");
            runs.markSeen(RunId.of("run-1"), "Account", List.of("002", "004"));
            assertThat(runs.seenAmong(RunId.of("run-1"), "Account", List.of("001", "002", "004"))).hasSize(3);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'run_seen'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("WITHOUT ROWID").contains("PRIMARY KEY (run_id, entity, external_id)");
        }
    }
}
