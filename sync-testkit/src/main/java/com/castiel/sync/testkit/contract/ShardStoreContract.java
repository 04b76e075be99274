package com.castiel.sync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.LinkState;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link ShardStore} must have: tenant-scoped batched lookups by external id
 * (soft-deleted shards included), conditional writes on etags, uniqueness of external links,
 * batch failure behaviour, paging of linked shards by shard id, link states that agree with the
 * documents after every write, and counts of live shards.
 *
 * <p>Extend it, implement {@link #createStore(MutableClock)} to return an empty store, and
 * override {@link #transactionalBatches()} to {@code false} when the backend cannot write a batch
 * in one transaction, and {@link #cleanUp()} when it holds files.
 */
public abstract class ShardStoreContract {

    protected static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    protected static final TenantId TENANT = TenantId.of("tenant-a");
    protected static final TenantId OTHER_TENANT = TenantId.of("tenant-b");
    protected static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    protected static final IntegrationId OTHER_INTEGRATION = IntegrationId.of("int-2");
    protected static final String ENTITY = "Account";
    protected static final String SHARD_TYPE = "c_company";

    protected MutableClock clock;
    protected ShardStore store;

    /** An empty store. */
    protected abstract ShardStore createStore(MutableClock clock);

    /**
     * Whether a batch is written in one transaction (nothing applied when a write fails). When
     * {@code false}, the suite only requires that writes after the failing one are not applied.
     */
    protected boolean transactionalBatches() {
        return true;
    }

    /** Called after each test: close connections, delete files. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    public final void createStoreUnderTest() {
        clock = new MutableClock(START);
        store = createStore(clock);
    }

    @AfterEach
    public final void cleanUpStore() throws Exception {
        cleanUp();
    }

    // ---- insert, get, lookups ----

    @Test
    public void insertedShardIsReadableWithAnEtag() {
        Shard shard = shard(TENANT, "s-1", "001");

        Shard written = insert(shard);

        assertThat(written.etag()).isNotBlank();
        Shard read = store.get(TENANT, shard.id()).orElseThrow();
        assertSameContent(read, shard);
        assertThat(read.etag()).isEqualTo(written.etag());
    }

    @Test
    public void getOfAnUnknownShardIsEmpty() {
        assertThat(store.get(TENANT, ShardId.of("missing"))).isEmpty();
    }

    @Test
    public void writeReturnsTheWrittenShardsInRequestOrderWithNullForDeletes() {
        insert(shard(TENANT, "s-0", "000"));

        List<Shard> written = store.write(TENANT, List.of(
                new ShardWrite.Insert(shard(TENANT, "s-2", "002")),
                new ShardWrite.Delete(ShardId.of("s-0"), null),
                new ShardWrite.Insert(shard(TENANT, "s-1", "001"))));

        assertThat(written).hasSize(3);
        assertThat(written.get(0).id()).isEqualTo(ShardId.of("s-2"));
        assertThat(written.get(1)).isNull();
        assertThat(written.get(2).id()).isEqualTo(ShardId.of("s-1"));
    }

    @Test
    public void anEmptyBatchWritesNothing() {
        assertThat(store.write(TENANT, List.of())).isEmpty();
        assertThat(store.count(TENANT, null)).isZero();
    }

    @Test
    public void findByExternalIdsReturnsTheLinkedShardsKeyedByExternalIdInOneCall() {
        insert(shard(TENANT, "s-1", "001"), shard(TENANT, "s-2", "002"), shard(TENANT, "s-3", "003"));

        Map<String, Shard> found = store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001", "003", "999"));

        assertThat(found).containsOnlyKeys("001", "003");
        assertThat(found.get("001").id()).isEqualTo(ShardId.of("s-1"));
        assertThat(found.get("003").id()).isEqualTo(ShardId.of("s-3"));
    }

    @Test
    public void findByExternalIdsHandlesAPageSizedBatch() {
        List<ShardWrite> inserts = new ArrayList<>();
        List<String> externalIds = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String ext = String.format("ext-%05d", i);
            externalIds.add(ext);
            inserts.add(new ShardWrite.Insert(shard(TENANT, String.format("s-%05d", i), ext)));
        }
        store.write(TENANT, inserts);

        Map<String, Shard> found = store.findByExternalIds(TENANT, INTEGRATION, ENTITY, externalIds);

        assertThat(found).hasSize(2000);
        assertThat(found.get("ext-01234").id()).isEqualTo(ShardId.of("s-01234"));
    }

    @Test
    public void findByExternalIdsMatchesOnlyThatIntegrationAndEntity() {
        insert(shard(TENANT, "s-1", "001"));
        Shard otherEntity = withLink(shard(TENANT, "s-2"), INTEGRATION, "Contact", "001");
        Shard otherIntegration = withLink(shard(TENANT, "s-3"), OTHER_INTEGRATION, ENTITY, "001");
        insert(otherEntity, otherIntegration);

        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")))
                .containsOnlyKeys("001")
                .hasEntrySatisfying("001", s -> assertThat(s.id()).isEqualTo(ShardId.of("s-1")));
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, "Contact", List.of("001")).get("001").id())
                .isEqualTo(ShardId.of("s-2"));
        assertThat(store.findByExternalIds(TENANT, OTHER_INTEGRATION, ENTITY, List.of("001")).get("001").id())
                .isEqualTo(ShardId.of("s-3"));
    }

    @Test
    public void findByExternalIdsNeverReturnsAnotherTenantsShard() {
        insert(shard(TENANT, "s-1", "001"));

        assertThat(store.findByExternalIds(OTHER_TENANT, INTEGRATION, ENTITY, List.of("001"))).isEmpty();
    }

    @Test
    public void getNeverReturnsAnotherTenantsShard() {
        insert(shard(TENANT, "s-1", "001"));

        assertThat(store.get(OTHER_TENANT, ShardId.of("s-1"))).isEmpty();
    }

    @Test
    public void findByExternalIdsIncludesSoftDeletedShards() {
        insert(shard(TENANT, "s-1", "001").softDeleted(START));

        Map<String, Shard> found = store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001"));

        assertThat(found).containsOnlyKeys("001");
        assertThat(found.get("001").deletedAt()).isEqualTo(START);
    }

    @Test
    public void writingAShardOfAnotherTenantIsRejectedAndNothingIsWritten() {
        Shard mine = shard(TENANT, "s-1", "001");
        Shard theirs = shard(OTHER_TENANT, "s-2", "002");

        assertThatThrownBy(() -> store.write(TENANT, List.of(new ShardWrite.Insert(mine), new ShardWrite.Insert(theirs))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get(TENANT, mine.id())).isEmpty();
        assertThat(store.get(TENANT, theirs.id())).isEmpty();
        assertThat(store.get(OTHER_TENANT, theirs.id())).isEmpty();
    }

    @Test
    public void changingAWrittenShardObjectDoesNotChangeTheStoredShard() {
        Shard shard = shard(TENANT, "s-1", "001");
        insert(shard);

        shard.structuredData().put("name", "changed after write");
        store.get(TENANT, shard.id()).orElseThrow().structuredData().put("name", "changed after read");

        assertThat(store.get(TENANT, shard.id()).orElseThrow().structuredData().get("name").asText()).isEqualTo("s-1");
    }

    // ---- conditional writes ----

    @Test
    public void replaceWithTheCurrentEtagSucceedsAndChangesTheEtag() {
        Shard written = insert(shard(TENANT, "s-1", "001"));

        Shard replaced = replace(written.withData(data("renamed"), START.plusSeconds(60)));

        assertThat(replaced.etag()).isNotBlank().isNotEqualTo(written.etag());
        Shard read = store.get(TENANT, written.id()).orElseThrow();
        assertThat(read.structuredData().get("name").asText()).isEqualTo("renamed");
        assertThat(read.etag()).isEqualTo(replaced.etag());
    }

    @Test
    public void etagChangesOnEveryWrite() {
        Shard v1 = insert(shard(TENANT, "s-1", "001"));
        Shard v2 = replace(v1.withData(data("two"), START));
        Shard v3 = replace(v2.withData(data("three"), START));

        assertThat(Set.of(v1.etag(), v2.etag(), v3.etag())).hasSize(3);
    }

    @Test
    public void replaceWithAStaleEtagThrowsStoreConflictAndChangesNothing() {
        Shard v1 = insert(shard(TENANT, "s-1", "001"));
        replace(v1.withData(data("someone else"), START));

        assertThatThrownBy(() -> replace(v1.withData(data("mine"), START)))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-1"));
        assertThat(store.get(TENANT, v1.id()).orElseThrow().structuredData().get("name").asText()).isEqualTo("someone else");
    }

    @Test
    public void replaceWithoutAnEtagIsUnconditional() {
        Shard v1 = insert(shard(TENANT, "s-1", "001"));
        replace(v1.withData(data("someone else"), START));

        replace(v1.withData(data("forced"), START).withEtag(null));

        assertThat(store.get(TENANT, v1.id()).orElseThrow().structuredData().get("name").asText()).isEqualTo("forced");
    }

    @Test
    public void replaceOfAMissingShardThrowsStoreConflict() {
        Shard never = shard(TENANT, "s-1", "001");

        assertThatThrownBy(() -> replace(never)).isInstanceOf(StoreConflictException.class);
        assertThat(store.get(TENANT, never.id())).isEmpty();
    }

    @Test
    public void deleteRemovesTheShardAndFreesItsLinks() {
        Shard written = insert(shard(TENANT, "s-1", "001"));

        store.write(TENANT, List.of(new ShardWrite.Delete(written.id(), written.etag())));

        assertThat(store.get(TENANT, written.id())).isEmpty();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001"))).isEmpty();
        insert(shard(TENANT, "s-2", "001"));
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(ShardId.of("s-2"));
    }

    @Test
    public void deleteWithAStaleEtagThrowsStoreConflictAndKeepsTheShard() {
        Shard v1 = insert(shard(TENANT, "s-1", "001"));
        replace(v1.withData(data("newer"), START));

        assertThatThrownBy(() -> store.write(TENANT, List.of(new ShardWrite.Delete(v1.id(), v1.etag()))))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-1"));
        assertThat(store.get(TENANT, v1.id())).isPresent();
    }

    @Test
    public void deleteOfAMissingShardIsANoOp() {
        List<Shard> result = store.write(TENANT, List.of(new ShardWrite.Delete(ShardId.of("missing"), null)));

        assertThat(result).hasSize(1);
        assertThat(result.get(0)).isNull();
    }

    @Test
    public void deleteWithoutAnEtagIsUnconditional() {
        Shard v1 = insert(shard(TENANT, "s-1", "001"));
        replace(v1.withData(data("newer"), START));

        store.write(TENANT, List.of(new ShardWrite.Delete(v1.id(), null)));

        assertThat(store.get(TENANT, v1.id())).isEmpty();
    }

    @Test
    public void deleteAddressedToAnotherTenantLeavesTheShard() {
        insert(shard(TENANT, "s-1", "001"));

        store.write(OTHER_TENANT, List.of(new ShardWrite.Delete(ShardId.of("s-1"), null)));

        assertThat(store.get(TENANT, ShardId.of("s-1"))).isPresent();
    }

    // ---- link uniqueness ----

    @Test
    public void insertWithAnExistingIdThrowsStoreConflict() {
        insert(shard(TENANT, "s-1", "001"));

        assertThatThrownBy(() -> insert(shard(TENANT, "s-1", "002")))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-1"));
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("002"))).isEmpty();
    }

    @Test
    public void insertWithALinkHeldByAnotherShardThrowsStoreConflict() {
        insert(shard(TENANT, "s-1", "001"));

        assertThatThrownBy(() -> insert(shard(TENANT, "s-2", "001")))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-2"));
        assertThat(store.get(TENANT, ShardId.of("s-2"))).isEmpty();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(ShardId.of("s-1"));
    }

    @Test
    public void replaceAddingALinkHeldByAnotherShardThrowsStoreConflict() {
        insert(shard(TENANT, "s-1", "001"));
        Shard second = insert(shard(TENANT, "s-2", "002"));

        Shard grabbing = withLink(second, INTEGRATION, ENTITY, "001");

        assertThatThrownBy(() -> replace(grabbing)).isInstanceOf(StoreConflictException.class);
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(ShardId.of("s-1"));
    }

    @Test
    public void replaceKeepingItsOwnLinksIsNotAConflict() {
        Shard written = insert(shard(TENANT, "s-1", "001"));

        Shard replaced = replace(written.withData(data("same links"), START));

        assertThat(replaced.externalRelationships()).hasSize(1);
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(written.id());
    }

    @Test
    public void replaceDroppingALinkFreesItForAnotherShard() {
        Shard written = insert(shard(TENANT, "s-1", "001"));

        replace(written.withoutRelationship(INTEGRATION, ENTITY, "001"));
        insert(shard(TENANT, "s-2", "001"));

        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(ShardId.of("s-2"));
    }

    @Test
    public void aShardInsertedInTheBatchThatDeletesTheLinksHolderTakesTheLink() {
        Shard holder = insert(shard(TENANT, "s-1", "001"));

        store.write(TENANT, List.of(
                new ShardWrite.Delete(holder.id(), holder.etag()),
                new ShardWrite.Insert(shard(TENANT, "s-2", "001"))));

        assertThat(store.get(TENANT, holder.id())).isEmpty();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(ShardId.of("s-2"));
    }

    @Test
    public void anInsertTakingALinkThatALaterWriteOfTheBatchFreesConflicts() {
        Shard holder = insert(shard(TENANT, "s-1", "001"));

        assertThatThrownBy(() -> store.write(TENANT, List.of(
                new ShardWrite.Insert(shard(TENANT, "s-2", "001")),
                new ShardWrite.Delete(holder.id(), holder.etag()))))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-2"));

        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(holder.id());
    }

    @Test
    public void anInsertConflictingWithAStoredShardLeavesTheRestOfItsBatchUnapplied() {
        Assumptions.assumeTrue(transactionalBatches(), "the store does not write batches in one transaction");
        insert(shard(TENANT, "s-1", "001"));

        assertThatThrownBy(() -> store.write(TENANT, List.of(
                new ShardWrite.Insert(shard(TENANT, "s-2", "002")),
                new ShardWrite.Insert(shard(TENANT, "s-3", "001")))))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-3"));

        assertThat(store.get(TENANT, ShardId.of("s-2"))).isEmpty();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("002"))).isEmpty();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").id()).isEqualTo(ShardId.of("s-1"));
    }

    @Test
    public void linksWithoutAnExternalIdDoNotCollide() {
        Shard a = withLink(shard(TENANT, "s-1"), INTEGRATION, ENTITY, null);
        Shard b = withLink(shard(TENANT, "s-2"), INTEGRATION, ENTITY, null);

        insert(a, b);

        assertThat(store.get(TENANT, a.id())).isPresent();
        assertThat(store.get(TENANT, b.id())).isPresent();
    }

    // ---- batches ----

    @Test
    public void writesInABatchApplyInOrder() {
        Shard s = shard(TENANT, "s-1", "001");

        store.write(TENANT, List.of(
                new ShardWrite.Insert(s),
                new ShardWrite.Replace(s.withData(data("second"), START)),
                new ShardWrite.Replace(s.withData(data("third"), START))));

        assertThat(store.get(TENANT, s.id()).orElseThrow().structuredData().get("name").asText()).isEqualTo("third");
    }

    @Test
    public void aConflictInABatchLeavesTheWritesAfterItUnapplied() {
        Shard stale = insert(shard(TENANT, "s-2", "002"));
        replace(stale.withData(data("newer"), START));

        assertThatThrownBy(() -> store.write(TENANT, List.of(
                new ShardWrite.Insert(shard(TENANT, "s-1", "001")),
                new ShardWrite.Replace(stale.withData(data("lost update"), START)),
                new ShardWrite.Insert(shard(TENANT, "s-3", "003")))))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("s-2"));

        assertThat(store.get(TENANT, ShardId.of("s-3"))).isEmpty();
        assertThat(store.get(TENANT, ShardId.of("s-2")).orElseThrow().structuredData().get("name").asText()).isEqualTo("newer");
    }

    @Test
    public void aConflictInATransactionalBatchAppliesNothing() {
        Assumptions.assumeTrue(transactionalBatches(), "the store does not write batches in one transaction");
        Shard existing = insert(shard(TENANT, "s-0", "000"));
        insert(shard(TENANT, "s-9", "009"));

        assertThatThrownBy(() -> store.write(TENANT, List.of(
                new ShardWrite.Insert(shard(TENANT, "s-1", "001")),
                new ShardWrite.Replace(existing.withData(data("changed"), START)),
                new ShardWrite.Delete(ShardId.of("s-9"), null),
                new ShardWrite.Insert(shard(TENANT, "s-2", "001")))))
                .isInstanceOf(StoreConflictException.class);

        assertThat(store.get(TENANT, ShardId.of("s-1"))).isEmpty();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("001"))).isEmpty();
        Shard unchanged = store.get(TENANT, existing.id()).orElseThrow();
        assertThat(unchanged.structuredData().get("name").asText()).isEqualTo("s-0");
        assertThat(unchanged.etag()).isEqualTo(existing.etag());
        assertThat(store.get(TENANT, ShardId.of("s-9"))).isPresent();
        assertThat(store.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of("009"))).containsOnlyKeys("009");
    }

    // ---- listLinked ----

    @Test
    public void listLinkedPagesThroughLinkedShardsOrderedByShardId() {
        insert(shard(TENANT, "s-3", "003"), shard(TENANT, "s-1", "001"), shard(TENANT, "s-5", "005"),
                shard(TENANT, "s-2", "002"), shard(TENANT, "s-4", "004"));

        List<Shard> first = store.listLinked(TENANT, INTEGRATION, ENTITY, null, 2);
        List<Shard> second = store.listLinked(TENANT, INTEGRATION, ENTITY, first.get(1).id(), 2);
        List<Shard> third = store.listLinked(TENANT, INTEGRATION, ENTITY, second.get(1).id(), 2);
        List<Shard> past = store.listLinked(TENANT, INTEGRATION, ENTITY, third.get(0).id(), 2);

        assertThat(ids(first)).containsExactly("s-1", "s-2");
        assertThat(ids(second)).containsExactly("s-3", "s-4");
        assertThat(ids(third)).containsExactly("s-5");
        assertThat(past).isEmpty();
    }

    @Test
    public void listLinkedReturnsOnlyShardsLinkedToThatIntegrationEntity() {
        insert(shard(TENANT, "s-1", "001"),
                withLink(shard(TENANT, "s-2"), INTEGRATION, "Contact", "002"),
                withLink(shard(TENANT, "s-3"), OTHER_INTEGRATION, ENTITY, "003"),
                shard(TENANT, "s-4"));

        assertThat(ids(store.listLinked(TENANT, INTEGRATION, ENTITY, null, 10))).containsExactly("s-1");
    }

    @Test
    public void listLinkedIncludesSoftDeletedShards() {
        insert(shard(TENANT, "s-1", "001"), shard(TENANT, "s-2", "002").softDeleted(START));

        assertThat(ids(store.listLinked(TENANT, INTEGRATION, ENTITY, null, 10))).containsExactly("s-1", "s-2");
    }

    @Test
    public void listLinkedIsScopedByTenant() {
        insert(shard(TENANT, "s-1", "001"));

        assertThat(store.listLinked(OTHER_TENANT, INTEGRATION, ENTITY, null, 10)).isEmpty();
    }

    // ---- link states ----

    @Test
    public void findLinkStatesReturnsEachLinksStateKeyedByExternalId() {
        Instant seen = Instant.parse("2025-01-15T09:59:58.123456789Z");
        Shard shard = synced(shard(TENANT, "s-1"), "001", "hash-1", seen, SyncStatus.SYNCED, SyncDirection.BIDIRECTIONAL);
        insert(shard, shard(TENANT, "s-2", "002"));

        Map<String, LinkState> states = store.findLinkStates(TENANT, INTEGRATION, ENTITY, Arrays.asList("001", "002", "999", null));

        assertThat(states).containsOnlyKeys("001", "002");
        assertThat(states.get("001")).isEqualTo(new LinkState(ShardId.of("s-1"), "001", "hash-1", seen, START, SyncStatus.SYNCED,
                SyncDirection.BIDIRECTIONAL, false));
        assertThat(states.get("002")).isEqualTo(new LinkState(ShardId.of("s-2"), "002", null, null, null, SyncStatus.PENDING,
                SyncDirection.BIDIRECTIONAL, false));
    }

    @Test
    public void findLinkStatesAgreesWithTheLinkedShardsRelationships() {
        insert(synced(shard(TENANT, "s-1"), "001", "h1", START.minusSeconds(5), SyncStatus.FAILED, SyncDirection.INBOUND),
                synced(shard(TENANT, "s-2"), "002", "h2", START.minusMillis(1), SyncStatus.CONFLICT, SyncDirection.OUTBOUND),
                synced(shard(TENANT, "s-3"), "003", "h3", null, SyncStatus.SYNCED, SyncDirection.INBOUND).softDeleted(START));
        List<String> ids = List.of("001", "002", "003");

        Map<String, LinkState> states = store.findLinkStates(TENANT, INTEGRATION, ENTITY, ids);

        Map<String, Shard> shards = store.findByExternalIds(TENANT, INTEGRATION, ENTITY, ids);
        assertThat(states).containsOnlyKeys(ids);
        for (String id : ids) {
            Shard s = shards.get(id);
            assertThat(states.get(id)).as(id).isEqualTo(LinkState.of(s, s.relationship(INTEGRATION, ENTITY, id).orElseThrow()));
        }
        assertThat(states.get("003").shardDeleted()).isTrue();
    }

    @Test
    public void findLinkStatesMatchesOnlyThatIntegrationEntityAndTenant() {
        insert(shard(TENANT, "s-1", "001"),
                withLink(shard(TENANT, "s-2"), INTEGRATION, "Contact", "002"),
                withLink(shard(TENANT, "s-3"), OTHER_INTEGRATION, ENTITY, "003"));
        insert(shard(OTHER_TENANT, "s-4", "004"));

        assertThat(store.findLinkStates(TENANT, INTEGRATION, ENTITY, List.of("001", "002", "003", "004"))).containsOnlyKeys("001");
        assertThat(store.findLinkStates(OTHER_TENANT, INTEGRATION, ENTITY, List.of("001", "004"))).containsOnlyKeys("004");
    }

    @Test
    public void findLinkStatesFollowsEveryWrite() {
        Shard v1 = insert(synced(shard(TENANT, "s-1"), "001", "h1", START, SyncStatus.SYNCED, SyncDirection.INBOUND));
        Shard v2 = replace(synced(v1, "001", "h2", START.plusSeconds(7), SyncStatus.FAILED, SyncDirection.INBOUND));
        assertThat(store.findLinkStates(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001"))
                .extracting(LinkState::lastSyncedHash, LinkState::lastSeenModifiedAt, LinkState::syncStatus)
                .containsExactly("h2", START.plusSeconds(7), SyncStatus.FAILED);

        Shard v3 = replace(v2.softDeleted(START.plusSeconds(8)));
        assertThat(store.findLinkStates(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001").shardDeleted()).isTrue();

        Shard v4 = replace(v3.withoutRelationship(INTEGRATION, ENTITY, "001"));
        assertThat(store.findLinkStates(TENANT, INTEGRATION, ENTITY, List.of("001"))).isEmpty();

        store.write(TENANT, List.of(new ShardWrite.Delete(v4.id(), null)));
        insert(synced(shard(TENANT, "s-2"), "001", "h3", null, SyncStatus.SYNCED, SyncDirection.INBOUND));
        assertThat(store.findLinkStates(TENANT, INTEGRATION, ENTITY, List.of("001")).get("001"))
                .extracting(LinkState::shardId, LinkState::lastSyncedHash, LinkState::shardDeleted)
                .containsExactly(ShardId.of("s-2"), "h3", false);
    }

    @Test
    public void findLinkStatesGivesEachLinkOfAShardLinkedTwiceItsOwnState() {
        Shard shard = synced(synced(shard(TENANT, "s-1"), "001", "h1", START, SyncStatus.SYNCED, SyncDirection.INBOUND),
                "002", "h2", START.minusSeconds(1), SyncStatus.CONFLICT, SyncDirection.BIDIRECTIONAL);
        insert(shard);

        Map<String, LinkState> states = store.findLinkStates(TENANT, INTEGRATION, ENTITY, List.of("001", "002"));

        assertThat(states.get("001").lastSyncedHash()).isEqualTo("h1");
        assertThat(states.get("002")).extracting(LinkState::lastSyncedHash, LinkState::syncStatus, LinkState::syncDirection)
                .containsExactly("h2", SyncStatus.CONFLICT, SyncDirection.BIDIRECTIONAL);
        assertThat(states.values()).extracting(LinkState::shardId).containsOnly(ShardId.of("s-1"));
    }

    @Test
    public void findLinkStatesHandlesAPageSizedBatch() {
        List<ShardWrite> inserts = new ArrayList<>();
        List<String> externalIds = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String ext = String.format("ext-%05d", i);
            externalIds.add(ext);
            inserts.add(new ShardWrite.Insert(synced(shard(TENANT, String.format("s-%05d", i)), ext, "h" + i, START, SyncStatus.SYNCED,
                    SyncDirection.INBOUND)));
        }
        store.write(TENANT, inserts);

        Map<String, LinkState> states = store.findLinkStates(TENANT, INTEGRATION, ENTITY, externalIds);

        assertThat(states).hasSize(2000);
        assertThat(states.get("ext-01234")).extracting(LinkState::shardId, LinkState::lastSyncedHash)
                .containsExactly(ShardId.of("s-01234"), "h1234");
    }

    @Test
    public void listLinkStatesPagesLikeListLinkedWithEveryLinkOfEachShard() {
        insert(shard(TENANT, "s-3", "003"), shard(TENANT, "s-1", "001"), shard(TENANT, "s-5", "005"),
                shard(TENANT, "s-2", "002b", "002a"), shard(TENANT, "s-4", "004"));

        List<LinkState> first = store.listLinkStates(TENANT, INTEGRATION, ENTITY, null, 2);
        List<LinkState> second = store.listLinkStates(TENANT, INTEGRATION, ENTITY, first.get(first.size() - 1).shardId(), 2);
        List<LinkState> third = store.listLinkStates(TENANT, INTEGRATION, ENTITY, second.get(second.size() - 1).shardId(), 2);
        List<LinkState> past = store.listLinkStates(TENANT, INTEGRATION, ENTITY, third.get(third.size() - 1).shardId(), 2);

        assertThat(first).extracting(l -> l.shardId().value() + "/" + l.externalId()).containsExactly("s-1/001", "s-2/002a", "s-2/002b");
        assertThat(second).extracting(l -> l.shardId().value() + "/" + l.externalId()).containsExactly("s-3/003", "s-4/004");
        assertThat(third).extracting(l -> l.shardId().value() + "/" + l.externalId()).containsExactly("s-5/005");
        assertThat(past).isEmpty();
    }

    @Test
    public void listLinkStatesAgreesWithTheListedShardsRelationships() {
        insert(synced(shard(TENANT, "s-1"), "001", "h1", START.minusSeconds(5), SyncStatus.FAILED, SyncDirection.INBOUND),
                synced(shard(TENANT, "s-2"), "002", "h2", START, SyncStatus.SYNCED, SyncDirection.OUTBOUND).softDeleted(START));

        List<LinkState> states = store.listLinkStates(TENANT, INTEGRATION, ENTITY, null, 10);

        List<LinkState> expected = new ArrayList<>();
        for (Shard s : store.listLinked(TENANT, INTEGRATION, ENTITY, null, 10)) {
            s.externalRelationships().forEach(r -> expected.add(LinkState.of(s, r)));
        }
        assertThat(states).containsExactlyElementsOf(expected);
    }

    @Test
    public void listLinkStatesIncludesLinksAwaitingAnExternalIdAndSoftDeletedShards() {
        insert(withLink(shard(TENANT, "s-1"), INTEGRATION, ENTITY, null), shard(TENANT, "s-2", "002").softDeleted(START));

        List<LinkState> states = store.listLinkStates(TENANT, INTEGRATION, ENTITY, null, 10);

        assertThat(states).extracting(LinkState::shardId, LinkState::externalId, LinkState::shardDeleted)
                .containsExactly(tuple(ShardId.of("s-1"), null, false), tuple(ShardId.of("s-2"), "002", true));
    }

    @Test
    public void listLinkStatesReturnsOnlyThatIntegrationEntityAndTenant() {
        insert(shard(TENANT, "s-1", "001"),
                withLink(shard(TENANT, "s-2"), INTEGRATION, "Contact", "002"),
                withLink(withLink(shard(TENANT, "s-3"), OTHER_INTEGRATION, ENTITY, "003"), INTEGRATION, "Contact", "003"),
                shard(TENANT, "s-4"));
        insert(shard(OTHER_TENANT, "s-5", "005"));

        assertThat(store.listLinkStates(TENANT, INTEGRATION, ENTITY, null, 10)).extracting(LinkState::externalId).containsExactly("001");
        assertThat(store.listLinkStates(OTHER_TENANT, INTEGRATION, ENTITY, null, 10)).extracting(LinkState::externalId)
                .containsExactly("005");
    }

    // ---- count ----

    @Test
    public void countExcludesSoftDeletedShards() {
        insert(shard(TENANT, "s-1", "001"), shard(TENANT, "s-2", "002"), shard(TENANT, "s-3", "003").softDeleted(START));

        assertThat(store.count(TENANT, SHARD_TYPE)).isEqualTo(2);
    }

    @Test
    public void countFiltersByShardTypeAndCountsEveryTypeWithNull() {
        Shard contact = new Shard(ShardId.of("c-1"), TENANT, "c_contact", data("c-1"), List.of(), START, START, null, null, "user-1");
        insert(shard(TENANT, "s-1", "001"), shard(TENANT, "s-2", "002"), contact);

        assertThat(store.count(TENANT, SHARD_TYPE)).isEqualTo(2);
        assertThat(store.count(TENANT, "c_contact")).isEqualTo(1);
        assertThat(store.count(TENANT, "c_unknown")).isZero();
        assertThat(store.count(TENANT, null)).isEqualTo(3);
    }

    @Test
    public void countIsScopedByTenant() {
        insert(shard(TENANT, "s-1", "001"));

        assertThat(store.count(OTHER_TENANT, null)).isZero();
    }

    // ---- fixtures ----

    /** A live shard of {@link #SHARD_TYPE} linked to {@link #ENTITY} records of {@link #INTEGRATION}. */
    protected static Shard shard(TenantId tenant, String id, String... externalIds) {
        Shard s = new Shard(ShardId.of(id), tenant, SHARD_TYPE, data(id), List.of(), START, START, null, null, "user-1");
        for (String ext : externalIds) {
            s = withLink(s, INTEGRATION, ENTITY, ext);
        }
        return s;
    }

    protected static Shard withLink(Shard s, IntegrationId integration, String entity, String externalId) {
        return s.withRelationship(ExternalRelationship.link("salesforce", integration, entity, externalId, SyncDirection.BIDIRECTIONAL));
    }

    /**
     * {@code s} with its link to {@code externalId} of {@link #ENTITY} (added when missing) synced
     * at {@link #START} with {@code hash}, seen at {@code seenModifiedAt}, in {@code status} and
     * {@code direction}.
     */
    protected static Shard synced(Shard s, String externalId, String hash, Instant seenModifiedAt, SyncStatus status, SyncDirection direction) {
        ObjectNode values = JsonNodeFactory.instance.objectNode().put("name", s.id().value());
        ExternalRelationship r = new ExternalRelationship("salesforce", INTEGRATION, ENTITY, externalId, direction, START, hash, "v1",
                seenModifiedAt, status, status == SyncStatus.FAILED ? "bad value" : null, values, null);
        return s.withRelationship(r);
    }

    protected static ObjectNode data(String name) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.putObject("address").put("city", "Lyon");
        node.putArray("tags").add("customer").add(7);
        return node;
    }

    protected Shard insert(Shard... shards) {
        List<ShardWrite> writes = new ArrayList<>();
        for (Shard s : shards) {
            writes.add(new ShardWrite.Insert(s));
        }
        List<Shard> written = store.write(shards[0].tenantId(), writes);
        return written.get(0);
    }

    protected Shard replace(Shard shard) {
        return store.write(shard.tenantId(), List.of(new ShardWrite.Replace(shard))).get(0);
    }

    protected static List<String> ids(List<Shard> shards) {
        return shards.stream().map(s -> s.id().value()).toList();
    }

    /** Same document and links; etags and store-maintained timestamps may differ. */
    protected static void assertSameContent(Shard actual, Shard expected) {
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.tenantId()).isEqualTo(expected.tenantId());
        assertThat(actual.shardTypeId()).isEqualTo(expected.shardTypeId());
        assertThat(actual.structuredData()).isEqualTo(expected.structuredData());
        assertThat(actual.externalRelationships()).isEqualTo(expected.externalRelationships());
        assertThat(actual.deletedAt()).isEqualTo(expected.deletedAt());
    }
}
