package com.castiel.sync.testkit.outbound;

import static com.castiel.sync.testkit.outbound.OutboundWorld.ENTITY;
import static com.castiel.sync.testkit.outbound.OutboundWorld.OUTBOUND;
import static com.castiel.sync.testkit.outbound.OutboundWorld.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.metrics.SyncMetrics;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.SessionOutcome;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteBackProcessorTest {

    private final OutboundWorld world = new OutboundWorld();

    private static ObjectNode fields(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    private static String externalId(Shard shard) {
        return shard.externalRelationships().get(0).externalId();
    }

    private Shard edit(Shard shard, String field, Object value) {
        return world.edits.update(TENANT, shard.id(), null, d -> {
            d.set(field, SyncJson.mapper().valueToTree(value));
            return d;
        }, "user-7").shard();
    }

    private List<Shard> linkedShards(Integration integration, int n) {
        List<Shard> linked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            world.seed(integration, fields("{\"name\": \"P" + i + "\", \"email\": \"p" + i + "@example.test\", \"score\": " + i + "}"));
        }
        world.pull(integration);
        for (String id : world.adapter(integration).store().find(ENTITY, r -> true).stream().map(r -> r.id()).toList()) {
            linked.add(world.shardOf(integration, id));
        }
        return linked;
    }

    private List<DeadLetter> deadLetters() {
        return world.queue.deadLetters(OUTBOUND, 100);
    }

    // ---- the basic write --------------------------------------------------------------------------

    @Test
    void an_edit_is_written_with_only_its_changed_fields_and_the_relationship_records_the_sync() {
        Integration integration = world.integration("int-1", ConflictResolution.EXTERNAL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"ada@example.test\", \"score\": 1, \"owner\": \"Olga\"}"));
        world.clock.advance(Duration.ofSeconds(30));
        edit(shard, "email", "ada@new.test");

        List<SessionOutcome> turns = world.drain();

        assertThat(turns).singleElement().satisfies(t -> {
            assertThat(t.completed()).isEqualTo(1);
            assertThat(t.written()).isEqualTo(1);
            assertThat(t.deadLettered()).isZero();
        });
        assertThat(world.adapter(integration).writes()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(WriteKind.UPDATE);
            assertThat(w.externalId()).isEqualTo(externalId(shard));
            assertThat(w.fields()).isEqualTo(fields("{\"email\": \"ada@new.test\"}"));
            assertThat(w.ifMatch()).as("optimistic concurrency on the version last seen").isNotNull();
        });
        assertThat(world.external(integration, externalId(shard)).get("email").asText()).isEqualTo("ada@new.test");
        ExternalRelationship rel = world.shard(shard).externalRelationships().get(0);
        var stored = world.adapter(integration).store().get(ENTITY, externalId(shard)).orElseThrow();
        assertThat(rel.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(rel.lastSyncedAt()).isEqualTo(world.clock.instant());
        assertThat(rel.lastSeenVersion()).isEqualTo(stored.etag());
        assertThat(rel.lastSeenModifiedAt()).isEqualTo(stored.modifiedAt());
        assertThat(rel.lastSyncedHash()).isEqualTo(new RecordMapper(OutboundWorld.MAPPING).toShard(RecordStoreAdapter.toRecord(stored)).hash());
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void the_next_inbound_sync_after_a_write_back_counts_the_record_unchanged_and_writes_nothing() {
        Integration integration = world.integration("int-1", ConflictResolution.NEWEST_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"score\": 1, \"owner\": \"Olga\"}"));
        edit(shard, "score", 2.50);
        world.drain();
        Shard afterWriteBack = world.shard(shard);
        world.adapter(integration).clearJournal();

        var outcome = world.pull(integration);

        assertThat(outcome.run().stats().unchanged()).isEqualTo(1);
        assertThat(outcome.run().stats().updated()).isZero();
        assertThat(world.shard(shard)).isEqualTo(afterWriteBack);
        assertThat(world.adapter(integration).writes()).isEmpty();
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void write_back_latency_is_recorded_per_change() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "Ada L.");
        world.clock.advance(Duration.ofSeconds(3));

        world.drain();

        var summary = world.registry.find(SyncMetrics.WRITEBACK_LATENCY).tags("operation", "update", "outcome", "success").summary();
        assertThat(summary).isNotNull();
        assertThat(summary.count()).isEqualTo(1);
        assertThat(summary.totalAmount()).isEqualTo(3000.0);
    }

    // ---- order, coalescing, batching --------------------------------------------------------------

    @Test
    void several_updates_of_one_shard_are_coalesced_into_one_write_of_the_latest_values() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\", \"score\": 1}"));
        edit(shard, "name", "Ada 1");
        edit(shard, "score", 5);
        edit(shard, "name", "Ada 2");

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.received()).isEqualTo(3);
        assertThat(turn.completed()).isEqualTo(3);
        assertThat(world.adapter(integration).writeCalls()).singleElement()
                .satisfies(c -> assertThat(c.requests()).singleElement().satisfies(w ->
                        assertThat(RecordMapper.sameValue(w.fields(), fields("{\"name\": \"Ada 2\", \"score\": 5}"))).isTrue()));
    }

    @Test
    void a_create_followed_by_updates_is_one_create_and_the_new_id_is_stored_on_the_relationship() {
        Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
        Shard fresh = new Shard(ShardId.of("new-1"), TENANT, "person", fields("{\"name\": \"Neo\", \"notes\": \"first\"}"),
                List.of(ExternalRelationship.link("fake", integration.id(), ENTITY, null, SyncDirection.BIDIRECTIONAL)),
                null, null, null, null, null);
        world.edits.create(fresh, "user-7");
        edit(fresh, "email", "neo@example.test");
        edit(fresh, "notes", "second");

        world.drain();

        assertThat(world.adapter(integration).writes()).singleElement().satisfies(w -> assertThat(w.kind()).isEqualTo(WriteKind.CREATE));
        ExternalRelationship rel = world.shard(fresh).externalRelationships().get(0);
        assertThat(rel.externalId()).isNotNull();
        assertThat(rel.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(world.external(integration, rel.externalId()))
                .isEqualTo(fields("{\"name\": \"Neo\", \"notes\": \"second\", \"email\": \"neo@example.test\"}"));
        assertThat(world.pull(integration).run().stats().unchanged()).as("the created record does not bounce back").isEqualTo(1);
    }

    @Test
    void a_shard_created_and_deleted_before_write_back_writes_nothing() {
        Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
        Shard fresh = new Shard(ShardId.of("new-1"), TENANT, "person", fields("{\"name\": \"Neo\"}"),
                List.of(ExternalRelationship.link("fake", integration.id(), ENTITY, null, SyncDirection.BIDIRECTIONAL)),
                null, null, null, null, null);
        world.edits.create(fresh, "user-7");
        world.edits.softDelete(TENANT, fresh.id(), null, "user-7");

        world.drain();

        assertThat(world.adapter(integration).writes()).isEmpty();
        assertThat(world.outboundActive()).isZero();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void an_edit_coalesced_with_a_delete_is_still_written_when_the_shard_was_restored_before_write_back() {
        Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\", \"score\": 1}"));
        edit(shard, "name", "Ada Lovelace");
        Shard deleted = world.edits.softDelete(TENANT, shard.id(), null, "user-7").shard();
        // restored by a Castiel service: a restore changes no field, so it sends no write-back of its own
        world.shards.write(TENANT, List.of(new com.castiel.sync.port.ShardWrite.Replace(
                deleted.restored(world.clock.instant()).changedBy("user-7", world.clock.instant()))));

        world.drain();

        assertThat(world.external(integration, externalId(shard)).get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(deadLetters()).isEmpty();
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void a_shard_created_deleted_and_restored_before_write_back_is_created() {
        Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
        Shard fresh = new Shard(ShardId.of("new-1"), TENANT, "person", fields("{\"name\": \"Neo\"}"),
                List.of(ExternalRelationship.link("fake", integration.id(), ENTITY, null, SyncDirection.BIDIRECTIONAL)),
                null, null, null, null, null);
        world.edits.create(fresh, "user-7");
        Shard deleted = world.edits.softDelete(TENANT, fresh.id(), null, "user-7").shard();
        world.shards.write(TENANT, List.of(new com.castiel.sync.port.ShardWrite.Replace(
                deleted.restored(world.clock.instant()).changedBy("user-7", world.clock.instant()))));

        world.drain();

        assertThat(world.adapter(integration).writes()).singleElement().satisfies(w -> assertThat(w.kind()).isEqualTo(WriteKind.CREATE));
        assertThat(world.shard(fresh).externalRelationships().get(0).externalId()).isNotNull();
    }

    @Test
    void a_deleted_shard_deletes_its_record() {
        Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
        Shard kept = world.linked(integration, fields("{\"name\": \"Keep\"}"));
        Shard gone = world.linked(integration, fields("{\"name\": \"Gone\"}"));
        edit(kept, "name", "Kept");
        world.edits.delete(TENANT, gone.id(), null, "user-7");

        world.drain();

        assertThat(world.externalIfLive(integration, externalId(gone))).isEmpty();
        assertThat(world.external(integration, externalId(kept)).get("name").asText()).isEqualTo("Kept");
        assertThat(world.adapter(integration).writeCalls()).as("one batch for both").hasSize(1);
    }

    @Test
    void changes_of_many_shards_are_written_in_provider_batches_of_the_configured_size() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS, RecordStoreAdapter.everything(), 4, 3);
        List<Shard> shards = linkedShards(integration, 7);
        for (Shard s : shards) {
            edit(s, "score", 100);
        }

        world.drain();

        List<RecordStoreAdapter.Call> calls = world.adapter(integration).writeCalls();
        assertThat(calls).extracting(c -> c.requests().size()).containsExactly(3, 3, 1);
        assertThat(calls).allSatisfy(c -> assertThat(c.kind()).isEqualTo("batch"));
        List<String> written = world.adapter(integration).writes().stream().map(WriteRequest::externalId).toList();
        assertThat(written).as("in message order").containsExactlyElementsOf(shards.stream().map(WriteBackProcessorTest::externalId).toList());
        for (Shard s : shards) {
            assertThat(world.external(integration, externalId(s)).get("score").intValue()).isEqualTo(100);
        }
    }

    @Test
    void the_adapters_maximum_caps_the_batch_when_the_integration_sets_none() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS, RecordStoreAdapter.everything(), 2, null);
        for (Shard s : linkedShards(integration, 5)) {
            edit(s, "score", 9);
        }

        world.drain();

        assertThat(world.adapter(integration).writeCalls()).extracting(c -> c.requests().size()).containsExactly(2, 2, 1);
    }

    @Test
    void each_integration_is_its_own_session_processed_in_order() {
        Integration a = world.integration("int-a", ConflictResolution.CASTIEL_WINS);
        Integration b = world.integration("int-b", ConflictResolution.CASTIEL_WINS);
        Shard sa = world.linked(a, fields("{\"name\": \"A\"}"));
        Shard sb = world.linked(b, fields("{\"name\": \"B\"}"));
        edit(sa, "name", "A1");
        edit(sb, "name", "B1");

        List<SessionOutcome> turns = world.drain();

        assertThat(turns).extracting(SessionOutcome::sessionId).containsExactlyInAnyOrder("int-a", "int-b");
        assertThat(world.external(a, externalId(sa)).get("name").asText()).isEqualTo("A1");
        assertThat(world.external(b, externalId(sb)).get("name").asText()).isEqualTo("B1");
    }

    // ---- per-record failures ----------------------------------------------------------------------

    @Test
    void a_record_the_provider_refuses_fails_alone_and_its_message_is_dead_lettered_with_the_reason() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        List<Shard> shards = linkedShards(integration, 3);
        edit(shards.get(0), "email", "ok0@example.test");
        edit(shards.get(1), "email", RecordStoreAdapter.INVALID);
        edit(shards.get(2), "email", "ok2@example.test");

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.completed()).isEqualTo(2);
        assertThat(turn.deadLettered()).isEqualTo(1);
        assertThat(turn.failed()).isEqualTo(1);
        assertThat(world.external(integration, externalId(shards.get(0))).get("email").asText()).isEqualTo("ok0@example.test");
        assertThat(world.external(integration, externalId(shards.get(2))).get("email").asText()).isEqualTo("ok2@example.test");
        ExternalRelationship failed = world.shard(shards.get(1)).externalRelationships().get(0);
        assertThat(failed.syncStatus()).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.error()).contains("email");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("VALIDATION_ERROR");
            assertThat(d.description()).contains("email").contains("non-retryable");
            assertThat(d.sessionId()).isEqualTo("int-1");
        });
        assertThat(world.events.eventsOfType(SyncEvent.DeadLettered.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("VALIDATION_ERROR"));
        assertThat(world.shard(shards.get(0)).externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.SYNCED);
    }

    @Test
    void a_later_successful_write_clears_the_failure_of_a_relationship() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "email", RecordStoreAdapter.INVALID);
        world.drain();
        edit(shard, "email", "fixed@example.test");

        world.drain();

        ExternalRelationship rel = world.shard(shard).externalRelationships().get(0);
        assertThat(rel.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(rel.error()).isNull();
    }

    @Test
    void a_batch_refused_as_a_whole_is_split_until_the_bad_record_is_isolated() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        world.adapter(integration).batchMode(RecordStoreAdapter.BatchMode.ALL_OR_NONE);
        List<Shard> shards = linkedShards(integration, 5);
        for (int i = 0; i < shards.size(); i++) {
            edit(shards.get(i), "email", i == 3 ? RecordStoreAdapter.INVALID : "p" + i + "@ok.test");
        }

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.completed()).isEqualTo(4);
        assertThat(turn.deadLettered()).isEqualTo(1);
        for (int i = 0; i < shards.size(); i++) {
            String email = world.external(integration, externalId(shards.get(i))).get("email").asText();
            assertThat(email).isEqualTo(i == 3 ? "p3@example.test" : "p" + i + "@ok.test");
        }
        List<RecordStoreAdapter.Call> calls = world.adapter(integration).writeCalls();
        assertThat(calls.get(0).failed()).isTrue();
        assertThat(calls.get(0).requests()).hasSize(5);
        assertThat(calls).extracting(c -> c.requests().size()).as("5 -> 2 + 3 -> 1 + 2 -> 1 + 1").containsExactly(5, 2, 3, 1, 2, 1, 1);
        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("VALIDATION_ERROR"));
    }

    @Test
    void a_record_deleted_in_the_provider_fails_with_not_found() {
        Integration integration = world.integration("int-1", ConflictResolution.EXTERNAL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        world.adapter(integration).store().delete(ENTITY, externalId(shard));
        edit(shard, "name", "Ada L.");

        world.drain();

        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("NOT_FOUND"));
        assertThat(world.shard(shard).externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.FAILED);
    }

    // ---- transient failures keep order ------------------------------------------------------------

    @Test
    void a_transient_failure_is_retried_in_the_session_with_backoff() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "Ada L.");
        world.adapter(integration).failNextWrites(unavailable(), unavailable());

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.completed()).isEqualTo(1);
        assertThat(turn.released()).isFalse();
        assertThat(world.sleeper.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(world.external(integration, externalId(shard)).get("name").asText()).isEqualTo("Ada L.");
        assertThat(world.adapter(integration).writeCalls()).extracting(RecordStoreAdapter.Call::failed).containsExactly(true, true, false);
    }

    @Test
    void a_wait_longer_than_the_lock_renews_every_held_lock_while_sleeping() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "Ada L.");
        world.adapter(integration).failNextWrites(new SyncException.RateLimited("slow down", Duration.ofMinutes(6), SyncException.Details.NONE));

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.lockLost()).isFalse();
        assertThat(turn.completed()).isEqualTo(1);
        assertThat(world.sleeper.totalSlept()).isEqualTo(Duration.ofMinutes(6));
        assertThat(world.sleeper.sleeps()).allSatisfy(d -> assertThat(d).isLessThan(Duration.ofMinutes(5)));
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void a_failure_outlasting_the_in_session_retries_releases_the_session_and_later_changes_wait_their_turn() {
        world.settings(OutboundSettings.defaults().withBatchWait(Duration.ZERO).withInSessionRetries(1).withMaxMessagesPerBatch(1));
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS, RecordStoreAdapter.everything(), 1, null);
        List<Shard> shards = linkedShards(integration, 2);
        edit(shards.get(0), "name", "first");
        edit(shards.get(1), "name", "second");
        world.adapter(integration).failNextWrites(unavailable(), unavailable());

        SessionOutcome released = world.processor().processNextSession(Duration.ZERO).orElseThrow();

        assertThat(released.released()).isTrue();
        assertThat(released.abandoned()).isEqualTo(1);
        assertThat(world.adapter(integration).writes()).as("the second change was not written before the first")
                .allSatisfy(w -> assertThat(w.externalId()).isEqualTo(externalId(shards.get(0))));

        SessionOutcome next = world.processor().processNextSession(Duration.ZERO).orElseThrow();

        assertThat(next.completed()).isEqualTo(2);
        assertThat(world.adapter(integration).writes().stream().filter(w -> !w.fields().isEmpty()).map(WriteRequest::externalId).toList())
                .containsExactly(externalId(shards.get(0)), externalId(shards.get(0)), externalId(shards.get(0)), externalId(shards.get(1)));
        assertThat(world.external(integration, externalId(shards.get(1))).get("name").asText()).isEqualTo("second");
    }

    @Test
    void a_change_that_never_succeeds_is_dead_lettered_after_the_maximum_deliveries() {
        world.settings(OutboundSettings.defaults().withBatchWait(Duration.ZERO).withInSessionRetries(0));
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "never");
        SyncException[] failures = new SyncException[20];
        java.util.Arrays.fill(failures, unavailable());
        world.adapter(integration).failNextWrites(failures);

        List<SessionOutcome> turns = world.drain();

        assertThat(turns).hasSize(10);
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("MaxDeliveryCountExceeded");
            assertThat(d.deliveryCount()).isEqualTo(10);
        });
    }

    @Test
    void a_paused_integration_holds_its_write_backs_until_it_is_active_again() {
        world.settings(OutboundSettings.defaults().withBatchWait(Duration.ZERO).withInSessionRetries(1));
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "later");
        world.update(integration, d -> d.withStatus(IntegrationStatus.PAUSED));

        SessionOutcome held = world.processor().processNextSession(Duration.ZERO).orElseThrow();
        world.update(integration, d -> d.withStatus(IntegrationStatus.ACTIVE));
        world.drain();

        assertThat(held.released()).isTrue();
        assertThat(world.external(integration, externalId(shard)).get("name").asText()).isEqualTo("later");
    }

    // ---- integration-level outcomes ---------------------------------------------------------------

    @Test
    void write_backs_queued_before_write_back_was_disabled_are_dropped() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "dropped");
        world.update(integration, d -> d.withWriteBack(WriteBackSettings.disabled()));

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.completed()).isEqualTo(1);
        assertThat(world.adapter(integration).writes()).isEmpty();
    }

    @Test
    void write_backs_of_a_deleted_integration_are_dead_lettered() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        edit(shard, "name", "orphan");
        world.integrations.delete(TENANT, integration.id());

        world.drain();

        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("NOT_FOUND"));
    }

    @Test
    void an_unreadable_message_is_dead_lettered_and_the_session_goes_on() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\"}"));
        world.queue.send(OUTBOUND, OutgoingMessage.of("junk", "{not json".getBytes()).withSession("int-1"));
        edit(shard, "name", "after junk");

        SessionOutcome turn = world.drain().get(0);

        assertThat(turn.deadLettered()).isEqualTo(1);
        assertThat(turn.completed()).isEqualTo(1);
        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("MESSAGE_UNREADABLE"));
        assertThat(world.external(integration, externalId(shard)).get("name").asText()).isEqualTo("after junk");
    }

    @Test
    void without_batch_writes_records_are_written_one_call_each() {
        EnumSet<Capability> single = EnumSet.copyOf(RecordStoreAdapter.everything());
        single.remove(Capability.BATCH_WRITE);
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS, single, 1, null);
        for (Shard s : linkedShards(integration, 3)) {
            edit(s, "score", 7);
        }

        world.drain();

        assertThat(world.adapter(integration).writeCalls()).hasSize(3).allSatisfy(c -> assertThat(c.kind()).isEqualTo("write"));
    }

    // ---- optimistic concurrency -------------------------------------------------------------------

    @Test
    void a_record_changed_between_the_read_and_the_write_is_re_read_and_re_resolved_instead_of_overwritten() {
        Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\"}"));
        world.clock.advance(Duration.ofSeconds(10));
        edit(shard, "name", "Castiel name");
        String id = externalId(shard);
        world.adapter(integration).beforeNextWrite(() -> world.adapter(integration).store().update(ENTITY, id, fields("{\"name\": \"Their name\"}")));

        SessionOutcome turn = world.drain().get(0);

        assertThat(world.external(integration, id).get("name").asText()).as("nothing overwritten").isEqualTo("Their name");
        assertThat(turn.parked()).isEqualTo(1);
        ExternalRelationship rel = world.shard(shard).externalRelationships().get(0);
        assertThat(rel.syncStatus()).isEqualTo(SyncStatus.CONFLICT);
        assertThat(rel.conflict().fields()).singleElement().satisfies(c -> {
            assertThat(c.castielValue().asText()).isEqualTo("Castiel name");
            assertThat(c.externalValue().asText()).isEqualTo("Their name");
        });
        assertThat(world.adapter(integration).journal()).extracting(RecordStoreAdapter.Call::kind)
                .containsExactly("fetchByIds", "batch", "fetchByIds");
        assertThat(world.events.eventsOfType(SyncEvent.ConflictDetected.class)).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsExactly("name"));
    }

    @Test
    void without_a_read_a_failed_precondition_is_settled_by_the_policy_at_record_level() {
        EnumSet<Capability> noRead = EnumSet.copyOf(RecordStoreAdapter.everything());
        noRead.remove(Capability.FETCH_BY_IDS);
        Integration integration = world.integration("int-1", ConflictResolution.NEWEST_WINS, noRead, 50, null);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\"}"));
        world.clock.advance(Duration.ofSeconds(10));
        world.adapter(integration).store().update(ENTITY, externalId(shard), fields("{\"email\": \"theirs@x.test\"}"));
        world.clock.advance(Duration.ofSeconds(10));
        edit(shard, "name", "Mine");

        world.drain();

        List<WriteRequest> writes = world.adapter(integration).writes();
        assertThat(writes).as("only the conditional attempt: without a read the provider's time is unknown, and "
                + "newest_wins gives an unknown time to the external side").singleElement()
                .satisfies(w -> assertThat(w.ifUnmodifiedSince()).isNotNull());
        OutboundWorld.assertSameContent(world.external(integration, externalId(shard)), "{\"name\": \"Ada\", \"email\": \"theirs@x.test\"}");
        world.pull(integration);
        assertThat(world.shard(shard).structuredData().get("email").asText()).isEqualTo("theirs@x.test");
        assertThat(world.adapter(integration).writes()).as("nothing overwritten in the provider").hasSize(1);
    }

    @Test
    void castiel_wins_writes_once_without_a_precondition_and_other_external_changes_still_flow_in() {
        Integration integration = world.integration("int-1", ConflictResolution.CASTIEL_WINS);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\"}"));
        world.clock.advance(Duration.ofSeconds(10));
        world.adapter(integration).store().update(ENTITY, externalId(shard), fields("{\"email\": \"theirs@x.test\"}"));
        edit(shard, "name", "Mine");

        world.drain();

        assertThat(world.adapter(integration).writes()).singleElement().satisfies(w -> {
            assertThat(w.ifMatch()).isNull();
            assertThat(w.ifUnmodifiedSince()).isNull();
            assertThat(w.fields()).isEqualTo(fields("{\"name\": \"Mine\"}"));
        });
        OutboundWorld.assertSameContent(world.external(integration, externalId(shard)), "{\"name\": \"Mine\", \"email\": \"theirs@x.test\"}");
        assertThat(world.pull(integration).run().stats().updated()).isEqualTo(1);
        assertThat(world.shard(shard).structuredData().get("email").asText()).isEqualTo("theirs@x.test");
        assertThat(world.pull(integration).run().stats().unchanged()).isEqualTo(1);
    }

    private static SyncException unavailable() {
        return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "503 from the provider", SyncException.Details.NONE);
    }
}
