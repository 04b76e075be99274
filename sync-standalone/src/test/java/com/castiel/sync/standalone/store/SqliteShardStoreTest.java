package com.castiel.sync.standalone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.testkit.time.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite shard store adds to the contract: page-sized batches, etag hygiene, link moves. */
class SqliteShardStoreTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");

    @TempDir
    Path dir;

    private final OpenStorages storages = new OpenStorages();
    private ShardStore store;

    @BeforeEach
    void open() {
        store = storages.open(dir, new MutableClock(NOW)).shards();
    }

    @AfterEach
    void close() {
        storages.close();
    }

    @Test
    void aPageOfTwoThousandShardsIsInsertedAndThenReplacedInOneCallEach() {
        List<ShardWrite> inserts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            inserts.add(new ShardWrite.Insert(shard(String.format("s-%05d", i), "v1", String.format("ext-%05d", i))));
        }
        List<Shard> written = store.write(TENANT, inserts);
        List<ShardWrite> replaces = written.stream()
                .<ShardWrite>map(s -> new ShardWrite.Replace(s.withData(data("v2"), NOW))).toList();

        List<Shard> replaced = store.write(TENANT, replaces);

        assertThat(replaced).hasSize(2000);
        assertThat(store.count(TENANT, "c_company")).isEqualTo(2000);
        assertThat(store.get(TENANT, ShardId.of("s-01999")).orElseThrow().structuredData().get("name").asText()).isEqualTo("v2");
        Set<String> etags = new HashSet<>();
        written.forEach(s -> etags.add(s.etag()));
        replaced.forEach(s -> etags.add(s.etag()));
        assertThat(etags).hasSize(4000);
    }

    @Test
    void anEtagIsNeverIssuedTwiceEvenToAShardDeletedAndCreatedAgain() {
        Shard first = store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", "v1", "001")))).get(0);
        store.write(TENANT, List.of(new ShardWrite.Delete(first.id(), null)));
        Shard again = store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", "v1", "001")))).get(0);

        assertThat(again.etag()).isNotEqualTo(first.etag());
        assertThatThrownBy(() -> store.write(TENANT, List.of(new ShardWrite.Replace(again.withEtag(first.etag())))))
                .isInstanceOf(StoreConflictException.class);
    }

    @Test
    void anEtagThisStoreDidNotIssueNeverMatches() {
        Shard written = store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", "v1", "001")))).get(0);

        for (String foreign : List.of("*", "\"\"", "W/\"1\"", "\"zz\"", "1")) {
            assertThatThrownBy(() -> store.write(TENANT, List.of(new ShardWrite.Replace(written.withEtag(foreign)))))
                    .as(foreign).isInstanceOf(StoreConflictException.class);
        }
    }

    @Test
    void aLinkMovesFromOneShardToAnotherInOneBatch() {
        List<Shard> written = store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", "v1", "001")),
                new ShardWrite.Insert(shard("s-2", "v1", "002"))));

        store.write(TENANT, List.of(
                new ShardWrite.Replace(written.get(0).withoutRelationship(INTEGRATION, "Account", "001")),
                new ShardWrite.Replace(link(written.get(1), "001"))));

        assertThat(store.findByExternalIds(TENANT, INTEGRATION, "Account", List.of("001", "002")))
                .hasEntrySatisfying("001", s -> assertThat(s.id().value()).isEqualTo("s-2"))
                .hasEntrySatisfying("002", s -> assertThat(s.id().value()).isEqualTo("s-2"));
    }

    @Test
    void aShardDeletedAndCreatedAgainInOneBatchEndsWithTheNewDocument() {
        store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", "old", "001"))));

        store.write(TENANT, List.of(new ShardWrite.Delete(ShardId.of("s-1"), null), new ShardWrite.Insert(shard("s-1", "new", "002"))));

        Shard read = store.get(TENANT, ShardId.of("s-1")).orElseThrow();
        assertThat(read.structuredData().get("name").asText()).isEqualTo("new");
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, "Account", List.of("001", "002"))).containsOnlyKeys("002");
    }

    @Test
    void listLinkedGivesAShardLinkedTwiceToTheSameEntityOneSlotOfThePage() {
        store.write(TENANT, List.of(
                new ShardWrite.Insert(shard("s-1", "v1", "001", "002")),
                new ShardWrite.Insert(shard("s-2", "v1", "003")),
                new ShardWrite.Insert(shard("s-3", "v1", "004"))));

        List<Shard> page = store.listLinked(TENANT, INTEGRATION, "Account", null, 2);

        assertThat(page).extracting(s -> s.id().value()).containsExactly("s-1", "s-2");
    }

    @Test
    void theSameLinkListedTwiceOnOneShardIsNotAConflictWithItself() {
        Shard twice = shard("s-1", "v1", "001");
        twice = new Shard(twice.id(), twice.tenantId(), twice.shardTypeId(), twice.structuredData(),
                List.of(twice.externalRelationships().get(0), twice.externalRelationships().get(0)),
                twice.createdAt(), twice.updatedAt(), null, null, "user-1");

        store.write(TENANT, List.of(new ShardWrite.Insert(twice)));

        assertThat(store.findByExternalIds(TENANT, INTEGRATION, "Account", List.of("001"))).containsOnlyKeys("001");
    }

    @Test
    void exactDecimalsAndEveryRelationshipFieldSurviveTheRoundTrip() {
        Shard shard = shard("s-1", "v1", "001");
        shard.structuredData().put("amount", new BigDecimal("1234567890.1200"));
        ExternalRelationship synced = shard.externalRelationships().get(0)
                .synced(NOW, SyncJson.object().put("Name", "Acme"), "hash-1", "v-7", NOW.minusSeconds(5));
        Shard withSync = shard.withRelationship(synced).changedBy("sync:int-1", NOW);

        store.write(TENANT, List.of(new ShardWrite.Insert(withSync)));

        Shard read = store.get(TENANT, shard.id()).orElseThrow();
        assertThat(read.structuredData().get("amount").decimalValue()).isEqualByComparingTo("1234567890.1200");
        assertThat(read.structuredData().get("amount").toString()).isEqualTo("1234567890.1200");
        assertThat(read.externalRelationships()).isEqualTo(withSync.externalRelationships());
        assertThat(read.updatedBy()).isEqualTo("sync:int-1");
        assertThat(read.createdAt()).isEqualTo(NOW);
    }

    @Test
    void findByExternalIdsIgnoresNullsAndDuplicates() {
        store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", "v1", "001"))));
        List<String> ids = new ArrayList<>(List.of("001", "001"));
        ids.add(null);

        Map<String, Shard> found = store.findByExternalIds(TENANT, INTEGRATION, "Account", ids);

        assertThat(found).containsOnlyKeys("001");
    }

    private static Shard shard(String id, String name, String... externalIds) {
        Shard s = new Shard(ShardId.of(id), TENANT, "c_company", data(name), List.of(), NOW, NOW, null, null, "user-1");
        for (String ext : externalIds) {
            s = link(s, ext);
        }
        return s;
    }

    private static Shard link(Shard s, String externalId) {
        return s.withRelationship(ExternalRelationship.link("salesforce", INTEGRATION, "Account", externalId, SyncDirection.BIDIRECTIONAL));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode data(String name) {
        return SyncJson.object().put("name", name);
    }
}
