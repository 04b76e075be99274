package com.castiel.sync.standalone.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.LinkState;
import com.castiel.sync.standalone.store.SqliteShardStore;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 2 adds link-state columns to {@code shard_link} and fills them from the shard
 * documents a version-1 database already holds: afterwards the store's document-free link states
 * must equal the states derived from the documents.
 */
class LinkStateMigrationTest {

    private static final MutableClock CLOCK = MutableClock.at("2025-01-15T10:00:00Z");
    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final IntegrationId OTHER_INTEGRATION = IntegrationId.of("int-2");
    private static final String ENTITY = "Account";

    @TempDir
    Path dir;

    @Test
    void theBackFillGivesEveryLinkTheStateOfItsRelationshipInTheDocument() throws Exception {
        Path file = dir.resolve("v1.db");
        List<Shard> shards = List.of(
                shard("s-1", false, rel(INTEGRATION, "001", "h1", Instant.parse("2025-01-15T09:00:00Z"), SyncStatus.SYNCED, SyncDirection.INBOUND)),
                shard("s-2", true, rel(INTEGRATION, "002", "h2", Instant.parse("2025-01-15T09:00:00.5Z"), SyncStatus.FAILED, SyncDirection.BIDIRECTIONAL)),
                shard("s-3", false,
                        rel(INTEGRATION, "003", "h3", Instant.parse("2025-01-15T09:00:00.123456789Z"), SyncStatus.CONFLICT, SyncDirection.OUTBOUND),
                        rel(INTEGRATION, "004", null, null, SyncStatus.PENDING, SyncDirection.BIDIRECTIONAL),
                        rel(OTHER_INTEGRATION, "003", "other", Instant.parse("2020-01-01T00:00:00Z"), SyncStatus.FAILED, SyncDirection.INBOUND)),
                // The same link twice: the first relationship is the one lookups pick.
                shard("s-4", false,
                        rel(INTEGRATION, "005", "first", Instant.parse("2025-01-15T09:00:00.120Z"), SyncStatus.SYNCED, SyncDirection.INBOUND),
                        rel(INTEGRATION, "005", "second", Instant.parse("2025-01-15T09:30:00Z"), SyncStatus.FAILED, SyncDirection.INBOUND)),
                shard("s-5", false, rel(INTEGRATION, null, null, null, SyncStatus.PENDING, SyncDirection.BIDIRECTIONAL)));
        writeVersionOneDatabase(file, shards);

        try (SqliteDatabase db = SqliteDatabase.open(file, CLOCK, 1)) {
            SqliteShardStore store = new SqliteShardStore(db);
            List<String> ids = List.of("001", "002", "003", "004", "005");

            Map<String, LinkState> found = store.findLinkStates(TENANT, INTEGRATION, ENTITY, ids);
            List<LinkState> listed = store.listLinkStates(TENANT, INTEGRATION, ENTITY, null, 10);
            Map<String, LinkState> otherIntegration = store.findLinkStates(TENANT, OTHER_INTEGRATION, ENTITY, List.of("003"));

            Map<String, Shard> documents = store.findByExternalIds(TENANT, INTEGRATION, ENTITY, ids);
            assertThat(found).containsOnlyKeys(ids);
            for (String id : ids) {
                Shard s = documents.get(id);
                assertThat(found.get(id)).as(id).isEqualTo(LinkState.of(s, s.relationship(INTEGRATION, ENTITY, id).orElseThrow()));
            }
            assertThat(found.get("005").lastSyncedHash()).isEqualTo("first");
            assertThat(listed).extracting(l -> l.shardId().value() + "/" + l.externalId())
                    .containsExactly("s-1/001", "s-2/002", "s-3/003", "s-3/004", "s-4/005", "s-5/null");
            assertThat(listed.get(5)).isEqualTo(new LinkState(ShardId.of("s-5"), null, null, null, null, SyncStatus.PENDING,
                    SyncDirection.BIDIRECTIONAL, false));
            assertThat(otherIntegration.get("003").lastSyncedHash()).isEqualTo("other");
        }
    }

    @Test
    void isoInstantsBecomeTheEpochNanosTheStoreWritesClampedTheSameWay() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LinkStateMigrationTest seed: " + seed);
        Random random = new Random(seed);
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2025-01-15T10:00:00.000000001Z"),
                Instant.parse("1600-01-01T00:00:00Z"), Instant.parse("3000-01-01T00:00:00.25Z")));
        long from = Instant.parse("1678-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2261-12-31T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 500; i++) {
            long seconds = from + (long) (random.nextDouble() * (to - from));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
             PreparedStatement p = c.prepareStatement("WITH t(v) AS (VALUES (?)) SELECT " + Schema.isoInstantToEpochNanos("v") + " FROM t")) {
            for (Instant instant : instants) {
                String text = SyncJson.mapper().writeValueAsString(instant).replace("\"", "");
                p.setString(1, text);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.getLong(1)).as("%s (seed %d)", text, seed).isEqualTo(EpochNanos.nanos(instant));
                }
            }
            p.setString(1, null);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.getObject(1)).isNull();
            }
        }
    }

    /** A database at schema version 1 holding {@code shards} as that version's store wrote them. */
    private static void writeVersionOneDatabase(Path file, List<Shard> shards) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Schema.migrate(c, CLOCK, Schema.MIGRATIONS.subList(0, 1));
            long row = 0;
            for (Shard s : shards) {
                row++;
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO shard (row_id, tenant, shard_id, shard_type, deleted, etag, doc) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    p.setLong(1, row);
                    p.setString(2, s.tenantId().value());
                    p.setString(3, s.id().value());
                    p.setString(4, s.shardTypeId());
                    p.setInt(5, s.isDeleted() ? 1 : 0);
                    p.setLong(6, row);
                    p.setString(7, SyncJson.write(s));
                    p.executeUpdate();
                }
                LinkedHashSet<List<String>> keys = new LinkedHashSet<>();
                for (ExternalRelationship r : s.externalRelationships()) {
                    keys.add(java.util.Arrays.asList(r.integrationId().value(), r.externalEntity(), r.externalId()));
                }
                for (List<String> k : keys) {
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO shard_link (shard_row, tenant, integration, entity, external_id, shard_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                        p.setLong(1, row);
                        p.setString(2, s.tenantId().value());
                        p.setString(3, k.get(0));
                        p.setString(4, k.get(1));
                        p.setString(5, k.get(2));
                        p.setString(6, s.id().value());
                        p.executeUpdate();
                    }
                }
            }
        }
    }

    private static Shard shard(String id, boolean deleted, ExternalRelationship... relationships) {
        ObjectNode data = SyncJson.object().put("name", id);
        Instant at = CLOCK.instant();
        return new Shard(ShardId.of(id), TENANT, "c_company", data, List.of(relationships), at, at, deleted ? at : null, null, "user-1");
    }

    private static ExternalRelationship rel(IntegrationId integration, String externalId, String hash, Instant seen, SyncStatus status,
                                            SyncDirection direction) {
        Instant syncedAt = hash == null ? null : CLOCK.instant().minusSeconds(60);
        return new ExternalRelationship("salesforce", integration, ENTITY, externalId, direction, syncedAt, hash, seen == null ? null : "v",
                seen, status, status == SyncStatus.FAILED ? "bad" : null, hash == null ? null : SyncJson.object().put("name", "x"), null);
    }
}
