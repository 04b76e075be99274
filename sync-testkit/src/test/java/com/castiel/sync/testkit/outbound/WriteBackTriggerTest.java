package com.castiel.sync.testkit.outbound;

import static com.castiel.sync.testkit.outbound.OutboundWorld.ENTITY;
import static com.castiel.sync.testkit.outbound.OutboundWorld.OUTBOUND;
import static com.castiel.sync.testkit.outbound.OutboundWorld.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.outbound.ShardEdit;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.retry.QueuedJob;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteBackTriggerTest {

    private final OutboundWorld world = new OutboundWorld();
    private final Integration integration = world.integration("int-1", ConflictResolution.NEWEST_WINS);

    private static ObjectNode fields(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    private Shard linked() {
        return world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"ada@example.test\", \"score\": 1, \"owner\": \"Olga\"}"));
    }

    /** Every visible message of a session, received and left locked until the end of the test. */
    private List<WriteBackMessage> messagesIn(String session) {
        return allSessions().getOrDefault(session, List.of());
    }

    private java.util.Map<String, List<WriteBackMessage>> allSessions() {
        java.util.Map<String, List<WriteBackMessage>> bySession = new java.util.LinkedHashMap<>();
        for (Optional<JobQueue.SessionReceiver> receiver = world.queue.acceptSession(OUTBOUND, Duration.ZERO); receiver.isPresent();
             receiver = world.queue.acceptSession(OUTBOUND, Duration.ZERO)) {
            JobQueue.SessionReceiver r = receiver.get();
            List<WriteBackMessage> all = bySession.computeIfAbsent(r.sessionId(), k -> new ArrayList<>());
            for (Optional<LockedMessage> m = r.receive(Duration.ZERO); m.isPresent(); m = r.receive(Duration.ZERO)) {
                all.add(((QueuedJob.Outbound) QueuedJob.decode(m.get().body())).message());
            }
        }
        return bySession;
    }

    @Test
    void a_user_edit_sends_an_update_of_the_changed_outbound_fields_in_the_integrations_session() {
        Shard shard = linked();

        ShardEdit edit = world.edits.update(TENANT, shard.id(), shard.etag(),
                d -> d.put("name", "Ada L.").put("score", 2).put("owner", "Zed").put("unmapped", true), "user-7");

        assertThat(edit.writeBacks()).singleElement().satisfies(m -> {
            assertThat(m.operation()).isEqualTo(Operation.UPDATE);
            assertThat(m.changedFields()).as("owner is in-only, unmapped is not mapped").containsExactly("name", "score");
            assertThat(m.integrationId()).isEqualTo(integration.id());
            assertThat(m.externalSystem()).isEqualTo("fake");
            assertThat(m.externalEntity()).isEqualTo(ENTITY);
            assertThat(m.externalId()).isEqualTo(shard.externalRelationships().get(0).externalId());
            assertThat(m.triggeredBy()).isEqualTo("user-7");
            assertThat(m.triggeredAt()).isEqualTo(world.clock.instant());
            assertThat(m.shardId()).isEqualTo(shard.id());
            assertThat(m.tenantId()).isEqualTo(TENANT);
        });
        assertThat(messagesIn(integration.id().value())).containsExactlyElementsOf(edit.writeBacks());
    }

    @Test
    void changes_written_by_the_engine_never_trigger_write_back() {
        Shard shard = linked();
        Shard before = world.shard(shard);
        Shard byEngine = before.withData(before.structuredData().deepCopy().put("name", "Changed by sync"), world.clock.instant())
                .changedBy(Shard.ENGINE_ORIGIN_PREFIX + integration.id(), world.clock.instant());

        assertThat(world.trigger.onShardChanged(before, byEngine, "user-7")).isEmpty();
        assertThat(world.trigger.onShardChanged(before, byEngine.changedBy("user-7", world.clock.instant()), "sync:int-1")).isEmpty();
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void an_inbound_sync_that_changes_shards_sends_nothing() {
        Shard shard = linked();
        world.adapter(integration).store().update(ENTITY, shard.externalRelationships().get(0).externalId(), fields("{\"name\": \"Remote\"}"));

        world.pull(integration);

        assertThat(world.shard(shard).structuredData().get("name").asText()).isEqualTo("Remote");
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void an_edit_of_in_only_or_unmapped_fields_sends_nothing() {
        Shard shard = linked();

        ShardEdit edit = world.edits.update(TENANT, shard.id(), null, d -> d.put("owner", "Zed").put("color", "blue"), "user-7");

        assertThat(edit.writeBacks()).isEmpty();
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void values_that_are_equal_as_numbers_are_not_a_change() {
        Shard shard = linked();

        ShardEdit edit = world.edits.update(TENANT, shard.id(), null, d -> d.put("score", new java.math.BigDecimal("1.00")), "user-7");

        assertThat(edit.writeBacks()).isEmpty();
    }

    @Test
    void nothing_is_sent_when_write_back_is_disabled_or_the_link_is_inbound_only() {
        Shard shard = linked();
        world.update(integration, d -> d.withWriteBack(WriteBackSettings.disabled()));
        assertThat(world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "A"), "user-7").writeBacks()).isEmpty();

        world.update(integration, d -> d.withWriteBack(WriteBackSettings.enabledWithDefaults()));
        Shard current = world.shard(shard);
        ExternalRelationship inboundOnly = current.externalRelationships().get(0);
        inboundOnly = new ExternalRelationship(inboundOnly.system(), inboundOnly.integrationId(), inboundOnly.externalEntity(),
                inboundOnly.externalId(), SyncDirection.INBOUND, inboundOnly.lastSyncedAt(), inboundOnly.lastSyncedHash(),
                inboundOnly.lastSeenVersion(), inboundOnly.lastSeenModifiedAt(), inboundOnly.syncStatus(), null,
                inboundOnly.lastSyncedValues(), null);
        world.shards.write(TENANT, List.of(new com.castiel.sync.port.ShardWrite.Replace(current.withRelationship(inboundOnly))));
        assertThat(world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "B"), "user-7").writeBacks()).isEmpty();
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void a_new_shard_with_an_unlinked_relationship_sends_a_create_of_every_field() {
        Shard fresh = new Shard(ShardId.of("new-1"), TENANT, "person", fields("{\"name\": \"Neo\", \"notes\": \"hi\"}"),
                List.of(ExternalRelationship.link("fake", integration.id(), ENTITY, null, SyncDirection.BIDIRECTIONAL)),
                null, null, null, null, null);

        ShardEdit edit = world.edits.create(fresh, "user-7");

        assertThat(edit.writeBacks()).singleElement().satisfies(m -> {
            assertThat(m.operation()).isEqualTo(Operation.CREATE);
            assertThat(m.changedFields()).isEmpty();
            assertThat(m.externalId()).isNull();
        });
        assertThat(edit.shard().updatedBy()).isEqualTo("user-7");
    }

    @Test
    void removing_or_soft_deleting_a_shard_sends_a_delete_of_the_linked_record() {
        Shard first = linked();
        Shard second = world.linked(integration, fields("{\"name\": \"Bob\"}"));

        ShardEdit removed = world.edits.delete(TENANT, first.id(), null, "user-7");
        ShardEdit softDeleted = world.edits.softDelete(TENANT, second.id(), null, "user-7");

        assertThat(removed.shard()).isNull();
        assertThat(removed.writeBacks()).singleElement().satisfies(m -> {
            assertThat(m.operation()).isEqualTo(Operation.DELETE);
            assertThat(m.externalId()).isEqualTo(first.externalRelationships().get(0).externalId());
        });
        assertThat(softDeleted.writeBacks()).singleElement().satisfies(m -> assertThat(m.operation()).isEqualTo(Operation.DELETE));
        assertThat(world.edits.update(TENANT, second.id(), null, d -> d.put("name", "ghost"), "user-7").writeBacks())
                .as("edits of a deleted shard do not write back").isEmpty();
    }

    @Test
    void triggering_the_same_stored_change_twice_enqueues_it_once() {
        Shard shard = linked();
        Shard before = world.shard(shard);
        ShardEdit edit = world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "Once"), "user-7");

        List<WriteBackMessage> again = world.trigger.onShardChanged(before, edit.shard(), "user-7");

        assertThat(again).containsExactlyElementsOf(edit.writeBacks());
        assertThat(messagesIn(integration.id().value())).hasSize(1);
    }

    @Test
    void a_shard_linked_to_two_integrations_sends_one_message_to_each_session() {
        Integration other = world.integration("int-2", ConflictResolution.MANUAL);
        Shard shard = linked();
        String otherId = world.seed(other, fields("{\"name\": \"Ada\"}"));
        Shard current = world.shard(shard);
        world.shards.write(TENANT, List.of(new com.castiel.sync.port.ShardWrite.Replace(current.withRelationship(
                ExternalRelationship.link("fake", other.id(), ENTITY, otherId, SyncDirection.BIDIRECTIONAL)))));

        ShardEdit edit = world.edits.update(TENANT, shard.id(), null, d -> d.put("email", "new@example.test"), "user-7");

        assertThat(edit.writeBacks()).extracting(WriteBackMessage::integrationId).containsExactly(integration.id(), other.id());
        java.util.Map<String, List<WriteBackMessage>> sessions = allSessions();
        assertThat(sessions.get(integration.id().value())).hasSize(1);
        assertThat(sessions.get(other.id().value())).hasSize(1);
    }

    @Test
    void edits_refuse_a_stale_etag_and_send_nothing() {
        Shard shard = linked();

        assertThatThrownBy(() -> world.edits.update(TENANT, shard.id(), "\"stale\"", d -> d.put("name", "x"), "user-7"))
                .isInstanceOf(StoreConflictException.class).hasMessageContaining("reload");
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void edits_refuse_the_engines_own_origin_as_actor() {
        Shard shard = linked();

        assertThatThrownBy(() -> world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "x"), "sync:int-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved for the engine");
    }
}
