package com.castiel.sync.testkit.outbound;

import static com.castiel.sync.testkit.outbound.OutboundWorld.ENTITY;
import static com.castiel.sync.testkit.outbound.OutboundWorld.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.outbound.FieldChoice;
import com.castiel.sync.outbound.ParkedConflict;
import com.castiel.sync.outbound.ShardEdit;
import com.castiel.sync.port.StoreConflictException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConflictDeskTest {

    private final OutboundWorld world = new OutboundWorld();
    private final Integration integration = world.integration("int-1", ConflictResolution.MANUAL);
    private Shard shard;
    private String id;

    private static ObjectNode fields(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    /** Both sides change name and score; Castiel also changes email, the provider nothing else. */
    @BeforeEach
    void park() {
        shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\", \"score\": 1}"));
        id = shard.externalRelationships().get(0).externalId();
        world.clock.advance(Duration.ofSeconds(10));
        world.adapter(integration).store().update(ENTITY, id, fields("{\"name\": \"Theirs\", \"score\": 2}"));
        world.clock.advance(Duration.ofSeconds(10));
        world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "Mine").put("score", 3).put("email", "mine@x.test"), "user-7");
        world.drain();
        world.adapter(integration).clearJournal();
    }

    private ParkedConflict parked() {
        return world.desk.get(TENANT, integration.id(), shard.id()).orElseThrow();
    }

    @Test
    void parked_conflicts_are_listed_with_both_sides_and_their_base() {
        List<ParkedConflict> listed = world.desk.list(TENANT, integration.id(), 10);

        assertThat(listed).singleElement().satisfies(p -> {
            assertThat(p.shardId()).isEqualTo(shard.id());
            assertThat(p.externalId()).isEqualTo(id);
            assertThat(p.externalEntity()).isEqualTo(ENTITY);
            assertThat(p.shardEtag()).isEqualTo(world.shard(shard).etag());
            assertThat(p.conflict().fields()).extracting(f -> f.field()).containsExactly("name", "score");
            assertThat(p.conflict().fields().get(0).baseValue().asText()).isEqualTo("Ada");
            assertThat(p.conflict().fields().get(0).castielValue().asText()).isEqualTo("Mine");
            assertThat(p.conflict().fields().get(0).externalValue().asText()).isEqualTo("Theirs");
        });
        assertThat(world.external(integration, id).get("email").asText()).as("the fields not in conflict were written").isEqualTo("mine@x.test");
        assertThat(world.external(integration, id).get("name").asText()).as("nothing in conflict was overwritten").isEqualTo("Theirs");
    }

    @Test
    void keeping_castiels_values_writes_them_back_and_clears_the_conflict() {
        ShardEdit resolved = world.desk.resolve(TENANT, integration.id(), shard.id(), parked().shardEtag(),
                Map.of("name", FieldChoice.keepCastiel(), "score", FieldChoice.keepCastiel()), "user-9");

        assertThat(resolved.writeBacks()).singleElement().satisfies(m -> assertThat(m.changedFields()).containsExactly("name", "score"));
        assertThat(resolved.shard().externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.PENDING);
        world.drain();

        OutboundWorld.assertSameContent(world.external(integration, id), "{\"name\": \"Mine\", \"email\": \"mine@x.test\", \"score\": 3}");
        ExternalRelationship rel = world.shard(shard).externalRelationships().get(0);
        assertThat(rel.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(rel.conflict()).isNull();
        assertThat(world.desk.list(TENANT, integration.id(), 10)).isEmpty();
        assertThat(world.pull(integration).run().stats().unchanged()).isEqualTo(1);
    }

    @Test
    void taking_the_external_values_sets_them_in_the_shard_without_writing_back() {
        ShardEdit resolved = world.desk.resolve(TENANT, integration.id(), shard.id(), null,
                Map.of("name", FieldChoice.takeExternal(), "score", FieldChoice.takeExternal()), "user-9");

        assertThat(resolved.writeBacks()).isEmpty();
        Shard after = world.shard(shard);
        assertThat(after.structuredData().get("name").asText()).isEqualTo("Theirs");
        assertThat(after.structuredData().get("score").intValue()).isEqualTo(2);
        assertThat(after.externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(after.updatedBy()).isEqualTo("user-9");
        world.drain();
        assertThat(world.adapter(integration).writes()).isEmpty();
        world.pull(integration);
        assertThat(world.shard(shard).structuredData()).isEqualTo(after.structuredData());
        assertThat(world.shard(shard).externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.SYNCED);
    }

    @Test
    void a_given_value_is_set_on_both_sides_and_choices_mix_per_field() {
        world.desk.resolve(TENANT, integration.id(), shard.id(), null,
                Map.of("name", FieldChoice.use(TextNode.valueOf("Agreed")), "score", FieldChoice.takeExternal()), "user-9");

        world.drain();

        OutboundWorld.assertSameContent(world.external(integration, id), "{\"name\": \"Agreed\", \"email\": \"mine@x.test\", \"score\": 2}");
        assertThat(world.shard(shard).structuredData().get("name").asText()).isEqualTo("Agreed");
        assertThat(world.shard(shard).structuredData().get("score").intValue()).isEqualTo(2);
        assertThat(world.shard(shard).externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.SYNCED);
    }

    @Test
    void a_record_changed_again_after_the_conflict_was_shown_raises_a_fresh_conflict_instead_of_being_overwritten() {
        ParkedConflict shown = parked();
        world.clock.advance(Duration.ofSeconds(10));
        world.adapter(integration).store().update(ENTITY, id, fields("{\"name\": \"Theirs again\"}"));

        world.desk.resolve(TENANT, integration.id(), shard.id(), shown.shardEtag(),
                Map.of("name", FieldChoice.keepCastiel(), "score", FieldChoice.keepCastiel()), "user-9");
        world.drain();

        assertThat(world.external(integration, id).get("name").asText()).isEqualTo("Theirs again");
        assertThat(world.external(integration, id).get("score").intValue()).as("score was not changed again: written").isEqualTo(3);
        assertThat(parked().conflict().fields()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("name");
            assertThat(f.externalValue().asText()).isEqualTo("Theirs again");
        });
    }

    @Test
    void every_conflicting_field_needs_exactly_one_choice() {
        assertThatThrownBy(() -> world.desk.resolve(TENANT, integration.id(), shard.id(), null, Map.of("name", FieldChoice.keepCastiel()), "u"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[score]");
        assertThatThrownBy(() -> world.desk.resolve(TENANT, integration.id(), shard.id(), null,
                Map.of("name", FieldChoice.keepCastiel(), "score", FieldChoice.keepCastiel(), "email", FieldChoice.keepCastiel()), "u"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[email]");
        assertThat(world.outboundActive()).isZero();
    }

    @Test
    void a_resolution_made_against_an_older_shard_is_refused() {
        String shownEtag = parked().shardEtag();
        world.edits.update(TENANT, shard.id(), null, d -> d.put("notes", "edited meanwhile"), "user-7");

        assertThatThrownBy(() -> world.desk.resolve(TENANT, integration.id(), shard.id(), shownEtag,
                Map.of("name", FieldChoice.keepCastiel(), "score", FieldChoice.keepCastiel()), "user-9"))
                .isInstanceOf(StoreConflictException.class);
    }

    @Test
    void resolving_a_shard_without_a_parked_conflict_is_refused() {
        world.desk.resolve(TENANT, integration.id(), shard.id(), null,
                Map.of("name", FieldChoice.takeExternal(), "score", FieldChoice.takeExternal()), "user-9");

        assertThatThrownBy(() -> world.desk.resolve(TENANT, integration.id(), shard.id(), null, Map.of(), "user-9"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("no parked conflict");
    }
}
