package com.castiel.sync.testkit.outbound;

import static com.castiel.sync.testkit.outbound.OutboundWorld.ENTITY;
import static com.castiel.sync.testkit.outbound.OutboundWorld.OUTBOUND;
import static com.castiel.sync.testkit.outbound.OutboundWorld.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of shard edits, creates, deletes, session turns and transient provider
 * failures across several integrations and shards. Whatever the interleaving:
 *
 * <ul>
 *   <li>each external system applies the writes for a record in the order the shard changed:
 *       the values written for a field form a subsequence of the values the field took in
 *       Castiel, never going back to an older one;</li>
 *   <li>once every session is drained, each external system holds exactly the shards' final
 *       state under the mapping (deleted shards' records deleted), every relationship is synced,
 *       nothing is dead-lettered;</li>
 *   <li>and a full inbound sync afterwards finds nothing to update.</li>
 * </ul>
 *
 * <p>Seeded: every case prints its seed; run with {@code -Dwriteback.seed=<seed>} to replay one.
 */
class WriteBackPropertyTest {

    private static final int CASES = 40;
    private static final List<String> EDITABLE = List.of("name", "email", "score", "notes");
    private static final RecordMapper MAPPER = new RecordMapper(OutboundWorld.MAPPING);

    @Test
    void external_systems_follow_the_shards_in_order_and_end_in_their_final_state() {
        String fixed = System.getProperty("writeback.seed");
        long base = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
        int cases = fixed != null ? 1 : CASES;
        for (int i = 0; i < cases; i++) {
            long seed = base + i;
            System.out.println("WriteBackPropertyTest seed=" + seed);
            try {
                new Case(seed).run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed for seed " + seed + " (replay with -Dwriteback.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    /** One random scenario. */
    private static final class Case {
        private final Random random;
        private final OutboundWorld world = new OutboundWorld();
        private final List<Integration> integrations = new ArrayList<>();
        private final List<ShardId> shards = new ArrayList<>();
        /** Every value each outbound field took, in order, as the canonical text of its wire value. */
        private final Map<ShardId, Map<String, List<String>>> history = new HashMap<>();
        private final Map<Integration, Integer> faultsLeft = new HashMap<>();

        Case(long seed) {
            this.random = new Random(seed);
            world.settings(OutboundSettings.defaults().withBatchWait(Duration.ZERO).withInSessionRetries(random.nextInt(4))
                    .withMaxMessagesPerBatch(1 + random.nextInt(8)));
        }

        void run() {
            int integrationCount = 2 + random.nextInt(2);
            for (int i = 0; i < integrationCount; i++) {
                EnumSet<Capability> caps = EnumSet.of(Capability.READ, Capability.INCREMENTAL, Capability.WRITE);
                if (random.nextBoolean()) {
                    caps.add(Capability.BATCH_WRITE);
                }
                if (random.nextInt(10) < 7) {
                    caps.add(Capability.FETCH_BY_IDS);
                }
                if (random.nextInt(10) < 7) {
                    caps.add(Capability.CONDITIONAL_WRITE);
                }
                ConflictResolution policy = ConflictResolution.values()[random.nextInt(ConflictResolution.values().length)];
                Integer batchSize = random.nextBoolean() ? null : 1 + random.nextInt(4);
                Integration integration = world.integration("int-" + i, policy, caps, 1 + random.nextInt(5), batchSize);
                integrations.add(integration);
                faultsLeft.put(integration, 3);
                // records that exist in the provider first, linked by an inbound sync
                int pulled = random.nextInt(3);
                for (int r = 0; r < pulled; r++) {
                    world.seed(integration, record(i + "-" + r));
                }
                world.pull(integration);
            }
            for (Integration integration : integrations) {
                for (Shard s : world.shards.listLinked(TENANT, integration.id(), ENTITY, null, 100)) {
                    track(s);
                }
            }
            int steps = 30 + random.nextInt(50);
            for (int step = 0; step < steps; step++) {
                world.clock.advance(Duration.ofSeconds(1 + random.nextInt(3)));
                int dice = random.nextInt(100);
                if (dice < 12 || shards.isEmpty()) {
                    createInCastiel();
                } else if (dice < 55) {
                    editRandomShard();
                } else if (dice < 58) {
                    deleteRandomShard();
                } else if (dice < 63) {
                    injectFault();
                } else {
                    world.processor().processNextSession(Duration.ZERO);
                }
            }
            world.drain();
            verify();
        }

        private ObjectNode record(String tag) {
            return SyncJson.object().put("name", "n-" + tag).put("email", tag + "@x.test").put("score", random.nextInt(100))
                    .put("owner", "owner-" + tag);
        }

        private void createInCastiel() {
            List<ExternalRelationship> links = new ArrayList<>();
            for (Integration integration : integrations) {
                if (links.isEmpty() || random.nextInt(3) == 0) {
                    links.add(ExternalRelationship.link("fake", integration.id(), ENTITY, null, SyncDirection.BIDIRECTIONAL));
                }
            }
            ObjectNode data = SyncJson.object().put("name", "c-" + random.nextInt(1000));
            if (random.nextBoolean()) {
                data.put("notes", "note-" + random.nextInt(1000));
            }
            Shard shard = new Shard(ShardId.of("c" + shards.size() + "-" + random.nextInt(1_000_000)), TENANT, "person", data, links,
                    null, null, null, null, null);
            track(world.edits.create(shard, "user-" + random.nextInt(3)).shard());
        }

        private void editRandomShard() {
            Shard shard = world.shards.get(TENANT, shards.get(random.nextInt(shards.size()))).orElseThrow();
            if (shard.isDeleted()) {
                return;
            }
            Map<String, JsonNode> changes = new LinkedHashMap<>();
            int count = 1 + random.nextInt(EDITABLE.size());
            for (int k = 0; k < count; k++) {
                String field = EDITABLE.get(random.nextInt(EDITABLE.size()));
                changes.put(field, randomValue(field));
            }
            Shard stored = world.edits.update(TENANT, shard.id(), shard.etag(), d -> {
                changes.forEach(d::set);
                return d;
            }, "user-" + random.nextInt(3)).shard();
            record(stored);
        }

        private JsonNode randomValue(String field) {
            return switch (field) {
                case "name" -> SyncJson.object().textNode("n" + random.nextInt(50));
                case "email" -> random.nextInt(5) == 0 ? NullNode.instance : SyncJson.object().textNode("e" + random.nextInt(50) + "@x.test");
                case "score" -> switch (random.nextInt(4)) {
                    case 0 -> NullNode.instance;
                    case 1 -> SyncJson.object().numberNode(new BigDecimal(random.nextInt(1000) + ".5"));
                    default -> SyncJson.object().numberNode(random.nextInt(1000));
                };
                default -> random.nextInt(4) == 0 ? NullNode.instance : SyncJson.object().textNode("note" + random.nextInt(50));
            };
        }

        private void deleteRandomShard() {
            ShardId id = shards.get(random.nextInt(shards.size()));
            world.edits.softDelete(TENANT, id, null, "user-1");
        }

        private void injectFault() {
            Integration integration = integrations.get(random.nextInt(integrations.size()));
            if (faultsLeft.merge(integration, -1, Integer::sum) >= 0) {
                SyncException fault = random.nextBoolean()
                        ? new SyncException.Transient(ErrorCode.TIMEOUT, "timed out", SyncException.Details.NONE)
                        : new SyncException.RateLimited("slow down", Duration.ofSeconds(1 + random.nextInt(30)), SyncException.Details.NONE);
                world.adapter(integration).failNextWrites(fault);
            }
        }

        private void track(Shard shard) {
            shards.add(shard.id());
            record(shard);
        }

        private void record(Shard shard) {
            ObjectNode wire = MAPPER.toExternal(MAPPER.extractOutbound(shard.structuredData()), null);
            Map<String, List<String>> fields = history.computeIfAbsent(shard.id(), k -> new HashMap<>());
            for (String f : MAPPER.writableExternalFields()) {
                List<String> seen = fields.computeIfAbsent(f, k -> new ArrayList<>());
                String text = canonical(wire.get(f));
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
                    seen.add(text);
                }
            }
        }

        private void verify() {
            assertThat(world.queue.deadLetters(OUTBOUND, 10)).as("dead letters").isEmpty();
            assertThat(world.outboundActive()).as("messages left").isZero();
            for (Integration integration : integrations) {
                verifyOrder(integration);
            }
            for (ShardId id : shards) {
                Shard shard = world.shards.get(TENANT, id).orElseThrow();
                for (ExternalRelationship rel : shard.externalRelationships()) {
                    Integration integration = integrations.stream().filter(i -> i.id().equals(rel.integrationId())).findFirst().orElseThrow();
                    if (shard.isDeleted()) {
                        if (rel.externalId() != null) {
                            assertThat(world.externalIfLive(integration, rel.externalId())).as("record of deleted shard %s", id).isEmpty();
                        }
                        continue;
                    }
                    assertThat(rel.externalId()).as("shard %s linked in %s", id, integration.id()).isNotNull();
                    assertThat(rel.syncStatus()).as("status of %s in %s", id, integration.id()).isEqualTo(SyncStatus.SYNCED);
                    ObjectNode expected = MAPPER.toExternal(MAPPER.extractOutbound(shard.structuredData()), null);
                    ObjectNode actual = world.external(integration, rel.externalId());
                    for (String field : MAPPER.writableExternalFields()) {
                        assertThat(canonical(actual.get(field))).as("%s of shard %s in %s", field, id, integration.id())
                                .isEqualTo(canonical(expected.get(field)));
                    }
                }
            }
            for (Integration integration : integrations) {
                SyncStats stats = world.pull(integration).run().stats();
                assertThat(stats.updated() + stats.created()).as("changes found by a sync of %s after write-back", integration.id()).isZero();
            }
            assertThat(world.outboundActive()).as("write-backs triggered by the final sync").isZero();
        }

        /** Applied writes of each record must follow the shard's history of each field. */
        private void verifyOrder(Integration integration) {
            Map<String, ShardId> shardByRecord = new HashMap<>();
            for (ShardId id : shards) {
                world.shards.get(TENANT, id).orElseThrow().externalRelationships().stream()
                        .filter(r -> r.integrationId().equals(integration.id()) && r.externalId() != null)
                        .forEach(r -> shardByRecord.put(r.externalId(), id));
            }
            Map<String, Integer> position = new HashMap<>();
            for (RecordStoreAdapter.Call call : world.adapter(integration).writeCalls()) {
                for (int k = 0; k < call.results().size(); k++) {
                    WriteRequest request = call.requests().get(k);
                    if (!(call.results().get(k) instanceof WriteResult.Written written) || request.kind() == WriteKind.DELETE) {
                        continue;
                    }
                    ShardId shard = shardByRecord.get(written.externalId());
                    assertThat(shard).as("record %s written in %s belongs to a shard", written.externalId(), integration.id()).isNotNull();
                    for (Map.Entry<String, JsonNode> f : request.fields().properties()) {
                        List<String> seen = history.get(shard).get(f.getKey());
                        String key = shard + "/" + f.getKey();
                        int from = position.getOrDefault(key, 0);
                        String value = canonical(f.getValue());
                        int at = indexFrom(seen, value, from);
                        assertThat(at).as("%s of %s written as %s after %s in %s; history %s", f.getKey(), shard, value,
                                seen.get(from), integration.id(), seen).isGreaterThanOrEqualTo(0);
                        position.put(key, at);
                    }
                }
            }
        }

        private static int indexFrom(List<String> seen, String value, int from) {
            for (int i = from; i < seen.size(); i++) {
                if (seen.get(i).equals(value)) {
                    return i;
                }
            }
            return -1;
        }

        private static String canonical(JsonNode value) {
            return value == null || value.isNull() || value.isMissingNode() ? "null" : SyncJson.write(canonicalNumber(value));
        }

        private static JsonNode canonicalNumber(JsonNode value) {
            return value.isNumber() ? SyncJson.object().numberNode(value.decimalValue().stripTrailingZeros()) : value;
        }
    }
}
