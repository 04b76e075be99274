package com.castiel.sync.testkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.model.DeleteBehavior;
import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunStatus;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InboundSyncTest {

    @Test
    void full_sync_creates_one_shard_per_record_with_the_mapped_values() {
        InboundFixture f = new InboundFixture(3);
        for (int i = 0; i < 8; i++) {
            f.createAccount("Acme " + i, 1000 + i);
        }

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome.run().stats().created()).isEqualTo(8);
        assertThat(outcome.fullScanCompleted()).isTrue();
        assertThat(f.actualData()).isEqualTo(f.expectedData());
        Shard one = f.liveShards().get(0);
        assertThat(one.shardTypeId()).isEqualTo("company");
        assertThat(one.updatedBy()).isEqualTo("sync:int-1");
        assertThat(one.structuredData().at("/finance/revenue").isNumber()).isTrue();
        assertThat(f.shards.writeCalls()).as("one batched write per page of 3").isEqualTo(3);
    }

    @Test
    void re_running_on_unchanged_data_writes_nothing() {
        InboundFixture f = new InboundFixture(4);
        for (int i = 0; i < 10; i++) {
            f.createAccount("Acme " + i, i);
        }
        f.full();
        int writes = f.shards.writeCalls();

        InboundOutcome again = f.full();
        InboundOutcome incremental = f.incremental();

        assertThat(f.shards.writeCalls()).isEqualTo(writes);
        assertThat(again.run().stats().unchanged()).isEqualTo(10);
        assertThat(again.run().stats().written()).isZero();
        assertThat(incremental.run().stats().written()).isZero();
    }

    @Test
    void incremental_sync_applies_only_changes_and_keeps_the_highest_stamp_seen_not_now() {
        InboundFixture f = new InboundFixture(100);
        String a = f.createAccount("A", 1);
        f.createAccount("B", 2);
        f.full();
        f.clock.advance(Duration.ofMinutes(30));
        f.external.update(InboundFixture.ENTITY, a, InboundFixture.account("A renamed", 1));
        Instant changedAt = f.external.get(InboundFixture.ENTITY, a).orElseThrow().modifiedAt();
        f.clock.advance(Duration.ofHours(2));

        InboundOutcome outcome = f.incremental();

        assertThat(outcome.run().stats().updated()).isEqualTo(1);
        assertThat(outcome.run().stats().created()).isZero();
        assertThat(f.shardFor(a).structuredData().get("name").asText()).isEqualTo("A renamed");
        EntitySyncState state = f.runs.entityState(InboundFixture.TENANT, InboundFixture.INTEGRATION, InboundFixture.ENTITY).orElseThrow();
        assertThat(state.watermark().stamp()).isEqualTo(changedAt).isBefore(f.clock.instant());
        assertThat(state.watermark().id()).isEqualTo(a);
    }

    @Test
    void records_sharing_one_stamp_across_page_boundaries_are_all_synced_once() {
        InboundFixture f = new InboundFixture(3);
        for (int i = 0; i < 10; i++) {
            f.createAccount("Same instant " + i, i); // the clock stands still: ten equal stamps
        }
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            later.add(f.createAccount("Later " + i, i));
        }

        InboundOutcome outcome = f.incremental();

        assertThat(outcome.run().stats().created()).isEqualTo(7);
        assertThat(f.actualData()).isEqualTo(f.expectedData());
        assertThat(f.liveShards()).hasSize(17);
    }

    @Test
    void a_record_that_cannot_be_mapped_fails_alone_with_its_field_and_value_named() {
        InboundFixture f = new InboundFixture(10);
        f.createAccount("Good 1", 10);
        String bad = f.createAccount("Bad", "abc");
        f.createAccount("Good 2", 20);

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(outcome.run().stats().created()).isEqualTo(2);
        assertThat(outcome.run().stats().failed()).isEqualTo(1);
        assertThat(outcome.run().recordErrors()).singleElement().satisfies(e -> {
            assertThat(e.externalId()).isEqualTo(bad);
            assertThat(e.field()).isEqualTo("AnnualRevenue");
            assertThat(e.message()).contains("AnnualRevenue").contains("abc");
        });
    }

    @Test
    void a_failed_record_that_is_fixed_later_is_synced() {
        InboundFixture f = new InboundFixture(10);
        String id = f.createAccount("Bad", "abc");
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Bad", 42));

        f.incremental();

        assertThat(f.shardFor(id).structuredData().at("/finance/revenue").asInt()).isEqualTo(42);
    }

    @Test
    void an_inbound_change_older_than_what_was_applied_is_ignored() {
        InboundFixture f = new InboundFixture(10);
        String id = f.createAccount("Current", 1);
        f.full();
        Instant applied = f.shardFor(id).relationshipFor(InboundFixture.INTEGRATION).orElseThrow().lastSeenModifiedAt();

        String stale = """
                {"changes":[{"entity":"Account","id":"%s","modifiedAt":"%s","fields":{"Name":"Stale","AnnualRevenue":1,"Industry":"Energy"}}]}
                """.formatted(id, applied.minusSeconds(60));
        InboundOutcome outcome = f.webhook(stale);

        assertThat(outcome.run().stats().unchanged()).isEqualTo(1);
        assertThat(f.shardFor(id).structuredData().get("name").asText()).isEqualTo("Current");
    }

    @ParameterizedTest
    @EnumSource(DeleteBehavior.class)
    void deletes_from_the_feed_apply_the_mapping_behaviour(DeleteBehavior behavior) {
        InboundFixture f = new InboundFixture(10, InboundFixture.deleteBehavior(behavior));
        String gone = f.createAccount("Gone", 1);
        String kept = f.createAccount("Kept", 2);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, gone);

        InboundOutcome outcome = f.incremental();

        Shard shard = f.shards.findByExternalIds(InboundFixture.TENANT, InboundFixture.INTEGRATION, InboundFixture.ENTITY, List.of(gone)).get(gone);
        switch (behavior) {
            case IGNORE -> {
                assertThat(shard).isNotNull();
                assertThat(shard.isDeleted()).isFalse();
                assertThat(outcome.run().stats().skipped()).isEqualTo(1);
            }
            case UNLINK -> {
                assertThat(shard).isNull();
                assertThat(outcome.run().stats().deleted()).isEqualTo(1);
            }
            case SOFT_DELETE -> {
                assertThat(shard.isDeleted()).isTrue();
                assertThat(shard.deletedAt()).isNotNull();
            }
            case DELETE -> assertThat(shard).isNull();
        }
        assertThat(f.shardFor(kept).isDeleted()).isFalse();
    }

    @Test
    void a_deleted_record_that_comes_back_restores_its_shard() {
        InboundFixture f = new InboundFixture(10);
        String id = f.createAccount("Phoenix", 1);
        f.full();
        Shard shard = f.shardFor(id);
        f.shards.write(InboundFixture.TENANT, List.of(new ShardWrite.Replace(shard.softDeleted(f.clock.instant()))));
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Phoenix", 2));

        f.incremental();

        assertThat(f.shardFor(id).isDeleted()).isFalse();
    }

    @Test
    void a_complete_full_scan_sweeps_shards_whose_records_vanished_without_a_tombstone() {
        InboundFixture f = new InboundFixture(2);
        String vanished = f.createAccount("Vanished", 1);
        for (int i = 0; i < 5; i++) {
            f.createAccount("Stays " + i, i);
        }
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, vanished);
        f.external.purgeTombstones(InboundFixture.ENTITY, f.clock.instant().plusSeconds(1));
        f.clock.advance(Duration.ofMinutes(1));

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().deleted()).isEqualTo(1);
        assertThat(f.shardFor(vanished).isDeleted()).isTrue();
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void a_full_scan_that_fails_part_way_sweeps_nothing() {
        InboundFixture f = new InboundFixture(2);
        for (int i = 0; i < 6; i++) {
            f.createAccount("Acme " + i, i);
        }
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.adapter.failOnFetch(2);

        assertThatThrownBy(f::full).isInstanceOf(SyncException.Transient.class);

        assertThat(f.liveShards()).hasSize(6);
        assertThat(f.runs.history(InboundFixture.TENANT, InboundFixture.INTEGRATION, 1).get(0).status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void a_run_that_dies_after_a_page_resumes_from_its_checkpoint_under_the_same_run_id() {
        InboundFixture f = new InboundFixture(5);
        for (int i = 0; i < 23; i++) {
            f.createAccount("Acme " + i, i);
        }
        f.adapter.failOnFetch(3);

        assertThatThrownBy(f::full).isInstanceOf(SyncException.Transient.class);
        SyncCheckpoint checkpoint = f.runs.checkpoint(InboundFixture.TENANT, InboundFixture.INTEGRATION).orElseThrow();
        assertThat(checkpoint.pages()).isEqualTo(2);
        int fetchesBefore = f.adapter.fetchCount();

        InboundOutcome resumed = f.full();

        assertThat(resumed.run().resumed()).isTrue();
        assertThat(resumed.run().id()).isEqualTo(checkpoint.runId());
        assertThat(resumed.run().stats().created()).isEqualTo(23);
        assertThat(f.adapter.fetchCount() - fetchesBefore).as("pages 3..5 only").isEqualTo(3);
        assertThat(f.runs.checkpoint(InboundFixture.TENANT, InboundFixture.INTEGRATION)).isEmpty();
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void a_crash_after_a_durable_write_but_before_its_checkpoint_duplicates_nothing() {
        InboundFixture f = new InboundFixture(4);
        for (int i = 0; i < 12; i++) {
            f.createAccount("Acme " + i, i);
        }
        f.shards.crashAfterWrite(2);

        assertThatThrownBy(f::full).isInstanceOf(ObservedShardStore.Crash.class);
        InboundOutcome resumed = f.full();

        assertThat(f.liveShards()).hasSize(12);
        assertThat(f.actualData()).isEqualTo(f.expectedData());
        assertThat(resumed.run().stats().created() + resumed.run().stats().unchanged()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void mappings_that_do_not_create_new_shards_skip_unknown_records() {
        InboundFixture f = new InboundFixture(10, m -> m.withCreateNew(false));
        f.createAccount("Unknown", 1);

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().skipped()).isEqualTo(1);
        assertThat(f.liveShards()).isEmpty();
    }

    @Test
    void webhooks_apply_carried_records_refetch_named_ones_and_leave_the_watermark_alone() {
        InboundFixture f = new InboundFixture(10);
        String carried = f.createAccount("Carried", 1);
        String named = f.createAccount("Named", 2);
        f.full();
        EntitySyncState before = f.runs.entityState(InboundFixture.TENANT, InboundFixture.INTEGRATION, InboundFixture.ENTITY).orElseThrow();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, named, InboundFixture.account("Named v2", 2));
        String body = """
                {"changes":[
                  {"entity":"Account","id":"%s","modifiedAt":"%s","fields":{"Name":"Carried v2","AnnualRevenue":1,"Industry":"Energy"}},
                  {"entity":"Account","id":"%s"},
                  {"entity":"Opportunity","id":"006x"}]}
                """.formatted(carried, f.clock.instant(), named);

        InboundOutcome outcome = f.webhook(body);

        assertThat(outcome.run().jobType()).isEqualTo(JobType.WEBHOOK);
        assertThat(outcome.run().stats().updated()).isEqualTo(2);
        assertThat(f.shardFor(carried).structuredData().get("name").asText()).isEqualTo("Carried v2");
        assertThat(f.shardFor(named).structuredData().get("name").asText()).isEqualTo("Named v2");
        assertThat(f.runs.entityState(InboundFixture.TENANT, InboundFixture.INTEGRATION, InboundFixture.ENTITY)).contains(before);
    }

    @Test
    void a_castiel_edit_awaiting_write_back_survives_an_inbound_change_to_another_field() {
        InboundFixture f = new InboundFixture(10);
        f.integration = f.integration.withData(d -> d.withWriteBack(WriteBackSettings.enabledWithDefaults()));
        String id = f.createAccount("Original", 100);
        f.full();
        Shard shard = f.shardFor(id);
        assertThat(shard.relationshipFor(InboundFixture.INTEGRATION).orElseThrow().writesBack()).isTrue();
        ObjectNode edited = shard.structuredData().deepCopy();
        edited.put("name", "Edited in Castiel");
        f.clock.advance(Duration.ofSeconds(5));
        f.shards.write(InboundFixture.TENANT, List.of(new ShardWrite.Replace(shard.withData(edited, f.clock.instant()).changedBy("user-1", f.clock.instant()))));
        f.clock.advance(Duration.ofSeconds(5));
        ObjectNode revenueOnly = SyncJson.object();
        revenueOnly.put("AnnualRevenue", 250);
        f.external.update(InboundFixture.ENTITY, id, revenueOnly);

        f.incremental();

        Shard after = f.shardFor(id);
        assertThat(after.structuredData().get("name").asText()).isEqualTo("Edited in Castiel");
        assertThat(after.structuredData().at("/finance/revenue").asInt()).isEqualTo(250);
        ExternalRelationship rel = after.relationshipFor(InboundFixture.INTEGRATION).orElseThrow();
        assertThat(rel.lastSyncedValues().get("name").asText()).as("the base is what the provider holds").isEqualTo("Original");
        assertThat(rel.syncStatus()).isEqualTo(SyncStatus.SYNCED);
    }

    @Test
    void a_record_cap_stops_the_run_with_a_checkpoint_that_a_continuation_finishes() {
        InboundFixture f = new InboundFixture(5);
        for (int i = 0; i < 17; i++) {
            f.createAccount("Acme " + i, i);
        }
        f.reconfigure(com.castiel.sync.inbound.InboundSettings.defaults().withPageSize(5).withMaxRecordsPerSync(10));

        InboundOutcome first = f.full();
        assertThat(first.truncated()).isTrue();
        assertThat(first.fullScanCompleted()).isFalse();
        assertThat(f.liveShards()).hasSize(10);

        InboundOutcome second = f.full();
        assertThat(second.truncated()).isFalse();
        assertThat(second.run().id()).isEqualTo(first.run().id());
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void a_delete_feed_that_no_longer_covers_the_watermark_asks_for_a_full_resync() {
        InboundFixture f = new InboundFixture(10);
        f.createAccount("Acme", 1);
        f.full();
        f.adapter.purgeDeleteFeed();

        InboundOutcome outcome = f.incremental();

        assertThat(outcome.fullResyncRequired()).isTrue();
        assertThat(outcome.run().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void external_changes_are_not_applied_to_outbound_only_links() {
        InboundFixture f = new InboundFixture(10, m -> m.withSyncDirection(com.castiel.sync.model.SyncDirection.OUTBOUND));
        String id = f.createAccount("Castiel owns this", 1);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Changed outside", 2));

        InboundOutcome outcome = f.incremental();

        assertThat(outcome.run().stats().skipped()).isEqualTo(1);
        assertThat(f.shardFor(id).structuredData().get("name").asText()).isEqualTo("Castiel owns this");
    }
    @Test
    void a_delete_older_than_the_version_already_applied_is_ignored() {
        InboundFixture f = new InboundFixture(10, InboundFixture.deleteBehavior(DeleteBehavior.SOFT_DELETE));
        String id = f.createAccount("Undeleted", 1);
        f.full();
        Instant applied = f.shardFor(id).relationshipFor(InboundFixture.INTEGRATION).orElseThrow().lastSeenModifiedAt();
        // the record was deleted and undeleted; the restore was applied, the delete notice arrives late
        String staleDelete = """
                {"changes":[{"entity":"Account","id":"%s","deleted":true,"modifiedAt":"%s"}]}
                """.formatted(id, applied.minusSeconds(60));

        InboundOutcome outcome = f.webhook(staleDelete);

        assertThat(f.shardFor(id).isDeleted()).isFalse();
        assertThat(outcome.run().stats().deleted()).isZero();
        assertThat(outcome.run().stats().unchanged()).isEqualTo(1);
    }

    @Test
    void a_delete_at_or_after_the_version_already_applied_is_applied() {
        InboundFixture f = new InboundFixture(10, InboundFixture.deleteBehavior(DeleteBehavior.SOFT_DELETE));
        String id = f.createAccount("Deleted", 1);
        f.full();
        Instant applied = f.shardFor(id).relationshipFor(InboundFixture.INTEGRATION).orElseThrow().lastSeenModifiedAt();
        String delete = """
                {"changes":[{"entity":"Account","id":"%s","deleted":true,"modifiedAt":"%s"}]}
                """.formatted(id, applied);

        InboundOutcome outcome = f.webhook(delete);

        assertThat(f.shardFor(id).isDeleted()).isTrue();
        assertThat(outcome.run().stats().deleted()).isEqualTo(1);
    }

    @Test
    void a_deleted_record_is_not_deleted_from_an_outbound_only_link() {
        InboundFixture f = new InboundFixture(10, m -> m.withSyncDirection(com.castiel.sync.model.SyncDirection.OUTBOUND)
                .withDeleteBehavior(DeleteBehavior.DELETE));
        String id = f.createAccount("Castiel owns this", 1);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, id);

        InboundOutcome outcome = f.incremental();

        assertThat(f.shardFor(id)).isNotNull();
        assertThat(f.shardFor(id).isDeleted()).isFalse();
        assertThat(outcome.run().stats().deleted()).isZero();
    }

    @Test
    void the_sweep_leaves_outbound_only_links_alone() {
        InboundFixture f = new InboundFixture(10, m -> m.withSyncDirection(com.castiel.sync.model.SyncDirection.OUTBOUND)
                .withDeleteBehavior(DeleteBehavior.DELETE));
        String id = f.createAccount("Castiel owns this", 1);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, id);
        f.external.purgeTombstones(InboundFixture.ENTITY, f.clock.instant().plusSeconds(1));
        f.clock.advance(Duration.ofMinutes(1));

        InboundOutcome outcome = f.full();

        assertThat(outcome.fullScanCompleted()).isTrue();
        assertThat(f.shardFor(id)).isNotNull();
        assertThat(outcome.run().stats().deleted()).isZero();
    }
    @Test
    void the_sweep_finds_the_entitys_link_on_a_shard_that_links_other_entities_of_the_integration_first() {
        InboundFixture f = new InboundFixture(10);
        String vanished = f.createAccount("Vanished", 1);
        f.full();
        Shard shard = f.shardFor(vanished);
        ExternalRelationship other = ExternalRelationship.link("store", InboundFixture.INTEGRATION, "Contact", "003A", null)
                .synced(f.clock.instant(), SyncJson.object(), "h", null, f.clock.instant());
        List<ExternalRelationship> links = new ArrayList<>();
        links.add(other);
        links.addAll(shard.externalRelationships());
        f.shards.write(InboundFixture.TENANT, List.of(new ShardWrite.Replace(new Shard(shard.id(), shard.tenantId(), shard.shardTypeId(),
                shard.structuredData(), links, shard.createdAt(), shard.updatedAt(), null, shard.etag(), shard.updatedBy()))));
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, vanished);
        f.external.purgeTombstones(InboundFixture.ENTITY, f.clock.instant().plusSeconds(1));
        f.clock.advance(Duration.ofMinutes(1));

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().deleted()).isEqualTo(1);
        assertThat(f.shardFor(vanished).isDeleted()).isTrue();
    }
    @Test
    void a_delta_scan_resumed_after_a_crash_continues_from_its_cursor_not_from_a_watermark() {
        InboundFixture f = new InboundFixture(1);
        ChangeFeedAdapter adapter = new ChangeFeedAdapter(f.external, Set.of(Capability.READ, Capability.INCREMENTAL, Capability.DELTA));
        String first = f.createAccount("First", 1);
        String second = f.createAccount("Second", 2);
        f.run(JobType.FULL_SYNC, adapter);
        f.clock.advance(Duration.ofMinutes(1));
        // in one instant the later id changes first: change order and (stamp, id) order disagree
        f.external.update(InboundFixture.ENTITY, second, InboundFixture.account("Second v2", 2));
        f.external.update(InboundFixture.ENTITY, first, InboundFixture.account("First v2", 1));
        adapter.failOnFetch(2);
        assertThatThrownBy(() -> f.run(JobType.INCREMENTAL, adapter)).isInstanceOf(SyncException.Transient.class);

        f.run(JobType.INCREMENTAL, adapter);

        assertThat(f.shardFor(first).structuredData().get("name").asText()).isEqualTo("First v2");
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void an_expired_cursor_of_a_delta_scan_restarts_the_delta_from_its_token() {
        InboundFixture f = new InboundFixture(1);
        ChangeFeedAdapter adapter = new ChangeFeedAdapter(f.external, Set.of(Capability.READ, Capability.INCREMENTAL, Capability.DELTA));
        String first = f.createAccount("First", 1);
        String second = f.createAccount("Second", 2);
        f.run(JobType.FULL_SYNC, adapter);
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, second, InboundFixture.account("Second v2", 2));
        f.external.update(InboundFixture.ENTITY, first, InboundFixture.account("First v2", 1));
        adapter.expireCursors();

        f.run(JobType.INCREMENTAL, adapter);

        assertThat(f.shardFor(first).structuredData().get("name").asText()).isEqualTo("First v2");
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void an_expired_checkpoint_cursor_of_a_scan_without_stamp_order_restarts_the_scan_instead_of_failing_every_retry() {
        InboundFixture f = new InboundFixture(2);
        ChangeFeedAdapter adapter = new ChangeFeedAdapter(f.external, Set.of(Capability.READ));
        for (int i = 0; i < 6; i++) {
            f.createAccount("Acme " + i, i);
        }
        adapter.failOnFetch(2);
        assertThatThrownBy(() -> f.run(JobType.FULL_SYNC, adapter)).isInstanceOf(SyncException.Transient.class);
        adapter.expireCursors();

        InboundOutcome resumed = f.run(JobType.FULL_SYNC, adapter);

        assertThat(resumed.run().resumed()).isTrue();
        assertThat(resumed.fullScanCompleted()).isTrue();
        assertThat(f.runs.checkpoint(InboundFixture.TENANT, InboundFixture.INTEGRATION)).isEmpty();
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }
    @Test
    void a_late_copy_of_an_intermediate_version_is_ignored_after_the_record_changed_back() {
        InboundFixture f = new InboundFixture(10);
        String id = f.createAccount("Acme", 1);
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Acme Renamed", 1));
        Instant intermediate = f.external.get(InboundFixture.ENTITY, id).orElseThrow().modifiedAt();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Acme", 1));
        InboundOutcome poll = f.incremental();
        assertThat(poll.run().stats().unchanged()).as("back to the synced values").isEqualTo(1);
        String late = """
                {"changes":[{"entity":"Account","id":"%s","modifiedAt":"%s","fields":{"Name":"Acme Renamed","AnnualRevenue":1,"Industry":"Energy"}}]}
                """.formatted(id, intermediate);

        f.webhook(late);

        assertThat(f.shardFor(id).structuredData().get("name").asText()).isEqualTo("Acme");
    }
    /**
     * A read-only provider answering a scan with {@code pages} in order; a page's cursor is the
     * next page's number, counted from 1.
     */
    private static ProviderAdapter scripted(Page... pages) {
        return new ProviderAdapter() {
            @Override
            public Set<Capability> capabilities() {
                return Set.of(Capability.READ);
            }

            @Override
            public Page fetch(FetchRequest request) {
                return pages[request.cursor() == null ? 0 : Integer.parseInt(request.cursor()) - 1];
            }
        };
    }

    @Test
    void a_page_planned_while_the_page_before_was_written_is_planned_again_when_both_hold_the_same_record() throws Exception {
        InboundFixture f = new InboundFixture(10);
        String id = f.createAccount("Acme", 1);
        f.full();
        Instant stamp = f.external.get(InboundFixture.ENTITY, id).orElseThrow().modifiedAt();
        // A provider with coarse stamps: the record changed to "Renamed" and back within one stamp,
        // and a live-paging scan returned both copies, the older one first.
        ProviderAdapter scripted = scripted(
                Page.of(List.of(ExternalRecord.of(InboundFixture.ENTITY, id, InboundFixture.account("Acme Renamed", 1), stamp, "2")), "2"),
                Page.last(List.of(ExternalRecord.of(InboundFixture.ENTITY, id, InboundFixture.account("Acme", 1), stamp, "3"))));
        // The first page's write waits until the second page has been planned: that plan read the
        // link as it was before the first page changed it.
        int lookupsBefore = f.shards.linkLookups();
        CountDownLatch secondPlanned = new CountDownLatch(1);
        f.shards.afterLinkLookup(n -> {
            if (n == lookupsBefore + 2) {
                secondPlanned.countDown();
            }
        });
        int writesBefore = f.shards.writeCalls();
        AtomicBoolean plannedAhead = new AtomicBoolean();
        f.shards.beforeWrite(n -> {
            if (n == writesBefore + 1) {
                try {
                    plannedAhead.set(secondPlanned.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        InboundOutcome outcome = f.run(JobType.FULL_SYNC, scripted);

        assertThat(plannedAhead).as("the second page was planned while the first was written").isTrue();
        assertThat(outcome.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.shardFor(id).structuredData().get("name").asText()).as("the scan's last copy wins").isEqualTo("Acme");
    }

    @Test
    void the_next_page_is_checked_against_what_a_re_planned_page_actually_wrote() throws Exception {
        InboundFixture f = new InboundFixture(10, InboundFixture.deleteBehavior(DeleteBehavior.SOFT_DELETE));
        String a = f.createAccount("Acme A", 1);
        String y = f.createAccount("Acme Y", 2);
        String z = f.createAccount("Acme Z", 3);
        f.full();
        // One soft-deleted shard holding the links of all three records.
        Shard shardA = f.shardFor(a);
        Shard shardY = f.shardFor(y);
        Shard shardZ = f.shardFor(z);
        Shard joint = shardA
                .withRelationship(shardY.relationship(InboundFixture.INTEGRATION, InboundFixture.ENTITY, y).orElseThrow())
                .withRelationship(shardZ.relationship(InboundFixture.INTEGRATION, InboundFixture.ENTITY, z).orElseThrow())
                .softDeleted(f.clock.instant());
        f.shards.write(InboundFixture.TENANT, List.of(new ShardWrite.Delete(shardY.id(), shardY.etag()),
                new ShardWrite.Delete(shardZ.id(), shardZ.etag()), new ShardWrite.Replace(joint)));
        Instant zStamp = f.external.get(InboundFixture.ENTITY, z).orElseThrow().modifiedAt();
        Instant later = f.clock.instant().plus(Duration.ofMinutes(5));
        // Page 1 changes a (restoring the shard), page 2 deletes y (soft-deleting it again), page 3
        // carries z unchanged: applied one by one, z finds its shard deleted and restores it.
        ProviderAdapter scripted = scripted(
                Page.of(List.of(ExternalRecord.of(InboundFixture.ENTITY, a, InboundFixture.account("Acme A2", 1), later, "9")), "2"),
                Page.of(List.of(ExternalRecord.tombstone(InboundFixture.ENTITY, y, later)), "3"),
                Page.last(List.of(ExternalRecord.of(InboundFixture.ENTITY, z, InboundFixture.account("Acme Z", 3), zStamp, "3"))));
        // Page 2 is planned before page 1 is written (it finds the shard deleted: nothing to do,
        // and is planned again because page 1 wrote that shard); page 3 is planned before page 2's
        // write lands (it finds the shard live and z unchanged).
        int lookups = f.shards.linkLookups();
        int writes = f.shards.writeCalls();
        CountDownLatch pageTwoPlanned = new CountDownLatch(2);
        CountDownLatch pageThreePlanned = new CountDownLatch(4);
        f.shards.afterLinkLookup(n -> {
            pageTwoPlanned.countDown();
            pageThreePlanned.countDown();
        });
        AtomicBoolean interleaved = new AtomicBoolean(true);
        f.shards.beforeWrite(n -> {
            try {
                if (n == writes + 1) {
                    interleaved.compareAndSet(true, pageTwoPlanned.await(30, TimeUnit.SECONDS));
                } else if (n == writes + 2) {
                    interleaved.compareAndSet(true, pageThreePlanned.await(30, TimeUnit.SECONDS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        InboundOutcome outcome = f.run(JobType.FULL_SYNC, scripted);

        assertThat(interleaved).as("pages 2 and 3 were planned while the page before was written").isTrue();
        assertThat(f.shards.linkLookups() - lookups).as("page 2 planned twice").isGreaterThanOrEqualTo(4);
        assertThat(outcome.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.shardFor(z).isDeleted()).as("z, carried last, restored the shard").isFalse();
    }

    @Test
    void the_delete_feed_position_follows_the_records_so_a_quiet_delete_log_never_outlives_its_retention() {
        InboundFixture f = new InboundFixture(10);
        String id = f.createAccount("Acme", 1);
        f.full();
        for (int day = 1; day <= 40; day++) {
            f.clock.advance(Duration.ofDays(1));
            f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Acme day " + day, day));
            f.external.purgeTombstones(InboundFixture.ENTITY, f.clock.instant().minus(Duration.ofDays(30)));

            InboundOutcome outcome = f.incremental();

            assertThat(outcome.fullResyncRequired()).as("day %d without any deletion", day).isFalse();
        }
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, id);
        f.incremental();
        assertThat(f.shardFor(id).isDeleted()).as("a deletion after the quiet days is still found").isTrue();
    }

    @Test
    void a_record_created_by_a_write_back_not_yet_linked_is_adopted_by_its_shard_not_duplicated() {
        InboundFixture f = new InboundFixture(10, m -> new com.castiel.sync.model.EntityMapping(m.externalEntity(), m.shardTypeId(),
                m.fieldMappings(), true, m.deleteBehavior(), "CastielId", com.castiel.sync.model.SyncDirection.BIDIRECTIONAL));
        f.integration = f.integration.withData(d -> d.withWriteBack(WriteBackSettings.enabledWithDefaults()));
        ObjectNode data = SyncJson.object();
        data.put("name", "Made in Castiel");
        data.put("industry", "Energy");
        Shard pending = new Shard(com.castiel.sync.model.ShardId.of("shard-pending-1"), InboundFixture.TENANT, "company", data,
                List.of(ExternalRelationship.link("store", InboundFixture.INTEGRATION, InboundFixture.ENTITY, null,
                        com.castiel.sync.model.SyncDirection.BIDIRECTIONAL)), f.clock.instant(), f.clock.instant(), null, null, "user-1");
        f.shards.write(InboundFixture.TENANT, List.of(new ShardWrite.Insert(pending)));
        ObjectNode created = SyncJson.object();
        created.put("Name", "Made in Castiel");
        created.put("Industry", "Energy");
        created.put("CastielId", "shard-pending-1");
        String externalId = f.external.create(InboundFixture.ENTITY, created).id(); // the write-back's create, not yet recorded

        InboundOutcome outcome = f.full();

        assertThat(outcome.run().stats().created()).isZero();
        assertThat(f.liveShards()).hasSize(1);
        Shard linked = f.shardFor(externalId);
        assertThat(linked.id().value()).isEqualTo("shard-pending-1");
        assertThat(linked.structuredData().get("name").asText()).isEqualTo("Made in Castiel");
    }
}
