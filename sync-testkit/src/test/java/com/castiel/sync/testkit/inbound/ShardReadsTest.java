package com.castiel.sync.testkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.model.DeleteBehavior;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.ShardWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inbound pipeline decides on link states first and reads whole shards only for the records
 * and links it may change: an unchanged re-sync reads no shard document at all.
 */
class ShardReadsTest {

    @Test
    void an_unchanged_full_re_sync_reads_no_shard_and_writes_nothing() {
        InboundFixture f = fixtureWith(6, InboundFixture.deleteBehavior(DeleteBehavior.SOFT_DELETE));
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        long readBefore = f.shards.shardsRead();
        int writesBefore = f.shards.writeCalls();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().unchanged()).isEqualTo(6);
        assertThat(outcome.fullScanCompleted()).isTrue();
        assertThat(f.shards.shardsRead() - readBefore).isZero();
        assertThat(f.shards.writeCalls() - writesBefore).isZero();
    }

    @Test
    void only_the_records_that_changed_have_their_shards_read() {
        InboundFixture f = fixtureWith(6, m -> m);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        List<String> ids = f.external.find(InboundFixture.ENTITY, r -> true).stream().map(r -> r.id()).toList();
        f.external.update(InboundFixture.ENTITY, ids.get(1), InboundFixture.account("Renamed 1", 1));
        f.external.update(InboundFixture.ENTITY, ids.get(4), InboundFixture.account("Renamed 4", 4));
        long readBefore = f.shards.shardsRead();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().updated()).isEqualTo(2);
        assertThat(outcome.run().stats().unchanged()).isEqualTo(4);
        assertThat(f.shards.shardsRead() - readBefore).isEqualTo(2);
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void a_record_whose_stamp_moved_without_a_mapped_change_is_read_and_its_link_records_the_newer_stamp() {
        InboundFixture f = fixtureWith(1, m -> m);
        String id = f.external.find(InboundFixture.ENTITY, r -> true).get(0).id();
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, id, SyncJson.object().put("Phone", "+33 1 23 45 67 89"));
        Instant moved = f.external.get(InboundFixture.ENTITY, id).orElseThrow().modifiedAt();
        long readBefore = f.shards.shardsRead();
        long writtenBefore = f.shards.shardsWritten();

        InboundOutcome outcome = f.incremental();

        assertThat(outcome.run().stats().unchanged()).isEqualTo(1);
        assertThat(f.shards.shardsRead() - readBefore).isEqualTo(1);
        assertThat(f.shards.shardsWritten() - writtenBefore).isEqualTo(1);
        assertThat(f.shardFor(id).relationshipFor(InboundFixture.INTEGRATION).orElseThrow().lastSeenModifiedAt()).isEqualTo(moved);
    }

    @Test
    void changes_to_records_of_outbound_only_links_are_skipped_without_reading_their_shards() {
        InboundFixture f = fixtureWith(3, m -> m.withSyncDirection(SyncDirection.OUTBOUND));
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        for (var r : f.external.find(InboundFixture.ENTITY, x -> true)) {
            f.external.update(InboundFixture.ENTITY, r.id(), InboundFixture.account("Changed outside", 9));
        }
        long readBefore = f.shards.shardsRead();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().skipped()).isEqualTo(3);
        assertThat(f.shards.shardsRead() - readBefore).isZero();
    }

    @Test
    void the_sweep_reads_only_the_shards_it_deletes() {
        InboundFixture f = fixtureWith(6, InboundFixture.deleteBehavior(DeleteBehavior.SOFT_DELETE));
        f.full();
        List<String> vanished = vanish(f, 2);
        long readBefore = f.shards.shardsRead();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().deleted()).isEqualTo(2);
        assertThat(f.shards.shardsRead() - readBefore).isEqualTo(2);
        assertThat(vanished).allSatisfy(id -> assertThat(f.shardFor(id).isDeleted()).isTrue());
    }

    @Test
    void the_sweep_settles_links_of_shards_already_soft_deleted_without_reading_them() {
        InboundFixture f = fixtureWith(6, InboundFixture.deleteBehavior(DeleteBehavior.SOFT_DELETE));
        f.full();
        vanish(f, 2);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        long readBefore = f.shards.shardsRead();
        int writesBefore = f.shards.writeCalls();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().deleted()).isZero();
        assertThat(outcome.run().stats().unchanged()).isEqualTo(4 + 2);
        assertThat(f.shards.shardsRead() - readBefore).isZero();
        assertThat(f.shards.writeCalls() - writesBefore).isZero();
    }

    @Test
    void the_sweep_ignoring_deletions_reads_no_shard() {
        InboundFixture f = fixtureWith(4, InboundFixture.deleteBehavior(DeleteBehavior.IGNORE));
        f.full();
        vanish(f, 1);
        long readBefore = f.shards.shardsRead();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().skipped()).isEqualTo(1);
        assertThat(f.shards.shardsRead() - readBefore).isZero();
    }

    @Test
    void a_shard_linked_to_two_vanished_records_loses_both_links_in_one_write() {
        InboundFixture f = fixtureWith(2, InboundFixture.deleteBehavior(DeleteBehavior.UNLINK));
        f.full();
        Instant synced = f.clock.instant();
        Shard twice = new Shard(ShardId.of("s-twice"), InboundFixture.TENANT, "company", SyncJson.object().put("name", "Twice"),
                List.of(syncedLink("001A", synced), syncedLink("001B", synced)), synced, synced, null, null, "user-1");
        f.shards.write(InboundFixture.TENANT, List.of(new ShardWrite.Insert(twice)));
        f.clock.advance(Duration.ofMinutes(1));
        long writtenBefore = f.shards.shardsWritten();

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().deleted()).isEqualTo(2);
        assertThat(f.shards.shardsWritten() - writtenBefore).isEqualTo(1);
        Shard after = f.shards.get(InboundFixture.TENANT, twice.id()).orElseThrow();
        assertThat(after.externalRelationships()).isEmpty();
        assertThat(after.structuredData()).isEqualTo(twice.structuredData());
    }

    private static InboundFixture fixtureWith(int accounts, java.util.function.UnaryOperator<com.castiel.sync.model.EntityMapping> mapping) {
        InboundFixture f = new InboundFixture(2, mapping);
        for (int i = 0; i < accounts; i++) {
            f.createAccount("Acme " + i, i);
        }
        return f;
    }

    /** Deletes the first {@code n} records without leaving tombstones, so only a full scan's sweep can notice. */
    private static List<String> vanish(InboundFixture f, int n) {
        f.clock.advance(Duration.ofMinutes(1));
        List<String> gone = new ArrayList<>();
        for (var r : f.external.find(InboundFixture.ENTITY, x -> true).subList(0, n)) {
            f.external.delete(InboundFixture.ENTITY, r.id());
            gone.add(r.id());
        }
        f.external.purgeTombstones(InboundFixture.ENTITY, f.clock.instant().plusSeconds(1));
        f.clock.advance(Duration.ofMinutes(1));
        return gone;
    }

    private static ExternalRelationship syncedLink(String externalId, Instant at) {
        return ExternalRelationship.link("store", InboundFixture.INTEGRATION, InboundFixture.ENTITY, externalId, SyncDirection.BIDIRECTIONAL)
                .synced(at, SyncJson.object().put("name", "Twice"), "hash-" + externalId, "v1", at);
    }
}
