package com.castiel.sync.testkit.outbound;

import static com.castiel.sync.testkit.outbound.OutboundWorld.ENTITY;
import static com.castiel.sync.testkit.outbound.OutboundWorld.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each conflict policy end to end: Castiel and the provider both change a record after the last
 * sync, write-back runs, and the table says where each side ends up. The same field changed on
 * both sides is a conflict; different fields always merge.
 */
class ConflictPolicyTest {

    private static ObjectNode fields(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    static Stream<Arguments> sameField() {
        // policy, the provider changed first (so Castiel is newer)?, provider ends with, shard ends with, parked?
        return Stream.of(
                Arguments.of(ConflictResolution.EXTERNAL_WINS, true, "Theirs", "Theirs", false),
                Arguments.of(ConflictResolution.EXTERNAL_WINS, false, "Theirs", "Theirs", false),
                Arguments.of(ConflictResolution.CASTIEL_WINS, true, "Mine", "Mine", false),
                Arguments.of(ConflictResolution.CASTIEL_WINS, false, "Mine", "Mine", false),
                Arguments.of(ConflictResolution.NEWEST_WINS, true, "Mine", "Mine", false),
                Arguments.of(ConflictResolution.NEWEST_WINS, false, "Theirs", "Theirs", false),
                Arguments.of(ConflictResolution.MANUAL, true, "Theirs", "Mine", true),
                Arguments.of(ConflictResolution.MANUAL, false, "Theirs", "Mine", true));
    }

    @ParameterizedTest(name = "{0}, provider changed first: {1} -> provider {2}, shard {3}")
    @MethodSource("sameField")
    void both_sides_changed_the_same_field(ConflictResolution policy, boolean providerFirst, String providerEnds, String shardEnds,
                                           boolean parked) {
        OutboundWorld world = new OutboundWorld();
        Integration integration = world.integration("int-1", policy);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\", \"score\": 1}"));
        String id = shard.externalRelationships().get(0).externalId();
        Runnable theirs = () -> world.adapter(integration).store().update(ENTITY, id, fields("{\"name\": \"Theirs\"}"));
        Runnable mine = () -> world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "Mine"), "user-7");
        world.clock.advance(Duration.ofSeconds(10));
        (providerFirst ? theirs : mine).run();
        world.clock.advance(Duration.ofSeconds(10));
        (providerFirst ? mine : theirs).run();

        world.drain();

        assertThat(world.external(integration, id).get("name").asText()).isEqualTo(providerEnds);
        Shard after = world.shard(shard);
        assertThat(after.structuredData().get("name").asText()).isEqualTo(shardEnds);
        ExternalRelationship rel = after.externalRelationships().get(0);
        assertThat(rel.syncStatus()).isEqualTo(parked ? SyncStatus.CONFLICT : SyncStatus.SYNCED);
        assertThat(world.outboundActive()).as("taking the provider's value does not write back").isZero();
        assertThat(world.pull(integration).run().stats().unchanged()).as("the next sync sees nothing new").isEqualTo(1);
        assertThat(world.shard(shard).structuredData()).isEqualTo(after.structuredData());
    }

    static Stream<Arguments> policies() {
        return Stream.of(ConflictResolution.values()).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void both_sides_changed_different_fields(ConflictResolution policy) {
        OutboundWorld world = new OutboundWorld();
        Integration integration = world.integration("int-1", policy);
        Shard shard = world.linked(integration, fields("{\"name\": \"Ada\", \"email\": \"a@x.test\", \"score\": 1}"));
        String id = shard.externalRelationships().get(0).externalId();
        world.clock.advance(Duration.ofSeconds(10));
        world.adapter(integration).store().update(ENTITY, id, fields("{\"email\": \"theirs@x.test\"}"));
        world.clock.advance(Duration.ofSeconds(10));
        world.edits.update(TENANT, shard.id(), null, d -> d.put("name", "Mine"), "user-7");

        world.drain();
        // castiel_wins writes without a precondition, so the external email reaches the shard
        // with the next poll rather than at write time; the other policies merged it already.
        world.pull(integration);

        OutboundWorld.assertSameContent(world.external(integration, id), "{\"name\": \"Mine\", \"email\": \"theirs@x.test\", \"score\": 1}");
        Shard after = world.shard(shard);
        assertThat(after.structuredData().get("name").asText()).isEqualTo("Mine");
        assertThat(after.structuredData().get("email").asText()).isEqualTo("theirs@x.test");
        assertThat(after.externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(world.pull(integration).run().stats().unchanged()).isEqualTo(1);
    }
}
