package com.castiel.sync.testkit.outbound;

import com.castiel.sync.inbound.InboundJob;
import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.inbound.InboundSync;
import com.castiel.sync.metrics.SyncMetrics;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldDirection;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.outbound.ConflictDesk;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.SessionOutcome;
import com.castiel.sync.outbound.ShardEdits;
import com.castiel.sync.outbound.WriteBackProcessor;
import com.castiel.sync.outbound.WriteBackTrigger;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.BackoffPolicy;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.ManualSleeper;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a write-back test needs, in memory: stores, the session queue, a manual clock and
 * sleeper, one {@link RecordStoreAdapter} (its own external system) per integration, the inbound
 * pipeline to link shards the way a sync does, and the outbound components under test.
 */
final class OutboundWorld {

    static final TenantId TENANT = TenantId.of("tenant-a");
    static final String ENTITY = "contacts";
    static final String OUTBOUND = QueueSpec.OUTBOUND.name();

    /** name, email, score both ways; owner only inbound; notes only outbound. */
    static final EntityMapping MAPPING = EntityMapping.of(ENTITY, "person", List.of(
            FieldMapping.of("name", "name"),
            FieldMapping.of("email", "email"),
            FieldMapping.of("score", "score", FieldType.NUMBER),
            FieldMapping.of("owner", "owner").withDirection(FieldDirection.IN),
            FieldMapping.of("notes", "notes").withDirection(FieldDirection.OUT)));

    final MutableClock clock = MutableClock.at("2026-03-01T09:00:00Z");
    final ManualSleeper sleeper = new ManualSleeper(clock);
    final InMemoryShardStore shards = new InMemoryShardStore();
    final InMemoryIntegrationStore integrations = new InMemoryIntegrationStore(clock);
    final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    final RecordingEventPublisher events = new RecordingEventPublisher();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SyncMetrics metrics = new SyncMetrics(registry, clock);
    final InboundSync inbound = new InboundSync(shards, new InMemoryRunStore(), clock, InboundSettings.defaults());
    final Map<IntegrationId, RecordStoreAdapter> adapters = new ConcurrentHashMap<>();
    final Map<IntegrationId, Integer> opened = new ConcurrentHashMap<>();
    final WriteBackTrigger trigger = new WriteBackTrigger(integrations, queue, clock);
    final ShardEdits edits = new ShardEdits(shards, trigger, clock);
    final ConflictDesk desk = new ConflictDesk(integrations, shards, trigger, clock);
    /** No jitter, so backoff sleeps are exact: 5 s, 10 s, 20 s… */
    final JobFailurePolicy failurePolicy = new JobFailurePolicy(new BackoffPolicy(10, Duration.ofSeconds(5), Duration.ofMinutes(5), 2.0, 0.0),
            clock, new Random(7));
    private OutboundSettings settings = OutboundSettings.defaults().withBatchWait(Duration.ZERO);
    private WriteBackProcessor processor;

    OutboundWorld settings(OutboundSettings next) {
        this.settings = next;
        this.processor = null;
        return this;
    }

    WriteBackProcessor processor() {
        if (processor == null) {
            processor = new WriteBackProcessor(integrations, shards, integration -> {
                opened.merge(integration.id(), 1, Integer::sum);
                return adapter(integration.id());
            }, queue, failurePolicy, events, metrics, clock, sleeper, settings);
        }
        return processor;
    }

    /** A write-back enabled integration with its own external system behind a {@link RecordStoreAdapter}. */
    Integration integration(String id, ConflictResolution policy) {
        return integration(id, policy, RecordStoreAdapter.everything(), 50, null);
    }

    Integration integration(String id, ConflictResolution policy, Set<Capability> capabilities, int maxBatch, Integer batchSize) {
        IntegrationData data = IntegrationData.of("fake", List.of(MAPPING)).withConflictResolution(policy)
                .withWriteBack(new WriteBackSettings(true, batchSize));
        Integration created = integrations.create(new Integration(IntegrationId.of(id), TENANT, id, data, 0, null, null));
        adapters.put(created.id(), new RecordStoreAdapter(new FakeRecordStore(clock), capabilities, maxBatch, Set.of("name")));
        return created;
    }

    Integration reload(Integration integration) {
        return integrations.get(TENANT, integration.id()).orElseThrow();
    }

    Integration update(Integration integration, java.util.function.UnaryOperator<IntegrationData> change) {
        return integrations.update(reload(integration).withData(change));
    }

    RecordStoreAdapter adapter(IntegrationId id) {
        return adapters.get(id);
    }

    RecordStoreAdapter adapter(Integration integration) {
        return adapter(integration.id());
    }

    /** Creates a record directly in the integration's external system; returns its id. */
    String seed(Integration integration, ObjectNode fields) {
        return adapter(integration).store().create(ENTITY, fields).id();
    }

    /** Runs a full inbound sync of the integration, which links (or updates) shards. */
    InboundOutcome pull(Integration integration) {
        return inbound.run(new InboundJob(reload(integration), JobType.FULL_SYNC, List.of(), null, "pull", 1), adapter(integration));
    }

    /** The shard linked to an external record. */
    Shard shardOf(Integration integration, String externalId) {
        return shards.findByExternalIds(TENANT, integration.id(), ENTITY, List.of(externalId)).get(externalId);
    }

    Shard shard(Shard s) {
        return shards.get(TENANT, s.id()).orElseThrow();
    }

    /** Seeds a record and pulls it, returning the linked shard. */
    Shard linked(Integration integration, ObjectNode fields) {
        String id = seed(integration, fields);
        pull(integration);
        Shard shard = shardOf(integration, id);
        if (shard == null || shard.externalRelationships().get(0).syncDirection() != SyncDirection.BIDIRECTIONAL) {
            throw new IllegalStateException("pull did not link " + id + " bidirectionally");
        }
        return shard;
    }

    ObjectNode external(Integration integration, String externalId) {
        return adapter(integration).store().get(ENTITY, externalId).orElseThrow().fields();
    }

    Optional<ObjectNode> externalIfLive(Integration integration, String externalId) {
        return adapter(integration).store().get(ENTITY, externalId).map(r -> r.fields());
    }

    /** Processes sessions until none has visible work; bounded so a bug cannot loop forever. */
    List<SessionOutcome> drain() {
        List<SessionOutcome> turns = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Optional<SessionOutcome> turn = processor().processNextSession(Duration.ZERO);
            if (turn.isEmpty()) {
                return turns;
            }
            turns.add(turn.get());
        }
        throw new IllegalStateException("sessions still had work after 10,000 turns: " + turns.get(turns.size() - 1));
    }

    /** Asserts that {@code actual} is the JSON {@code expected} as content (numbers by value, any key order). */
    static void assertSameContent(com.fasterxml.jackson.databind.JsonNode actual, String expected) {
        com.fasterxml.jackson.databind.JsonNode want = com.castiel.sync.model.SyncJson.tree(expected);
        if (!com.castiel.sync.transform.RecordMapper.sameValue(actual, want)) {
            throw new AssertionError("expected " + want + " but was " + actual);
        }
    }

    long outboundActive() {
        return queue.stats(OUTBOUND).active();
    }
}
