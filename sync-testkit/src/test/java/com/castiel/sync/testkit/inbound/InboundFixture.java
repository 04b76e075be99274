package com.castiel.sync.testkit.inbound;

import com.castiel.sync.inbound.InboundJob;
import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.inbound.InboundSync;
import com.castiel.sync.model.DeleteBehavior;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import com.castiel.sync.testkit.time.MutableClock;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** One integration syncing "Account" records from a fake record store into in-memory ports. */
final class InboundFixture {

    static final TenantId TENANT = TenantId.of("tenant-a");
    static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    static final String ENTITY = "Account";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    final FakeRecordStore external = new FakeRecordStore(clock, ChronoUnit.MILLIS, (entity, n) -> String.format("001%015d", n));
    final StoreBackedAdapter adapter = new StoreBackedAdapter(external);
    final ObservedShardStore shards = new ObservedShardStore(new InMemoryShardStore());
    final InMemoryRunStore runs = new InMemoryRunStore();
    Integration integration;
    InboundSync inbound;

    InboundFixture(int pageSize) {
        this(pageSize, m -> m);
    }

    InboundFixture(int pageSize, UnaryOperator<EntityMapping> mappingChange) {
        EntityMapping mapping = mappingChange.apply(EntityMapping.of(ENTITY, "company", List.of(
                FieldMapping.of("Name", "name").asRequired(),
                FieldMapping.of("AnnualRevenue", "finance.revenue", FieldType.NUMBER),
                FieldMapping.of("Industry", "industry"))));
        integration = new Integration(INTEGRATION, TENANT, "test", IntegrationData.of("store", List.of(mapping)), 1, clock.instant(), clock.instant());
        inbound = new InboundSync(shards, runs, clock, InboundSettings.defaults().withPageSize(pageSize));
    }

    void reconfigure(InboundSettings settings) {
        inbound = new InboundSync(shards, runs, clock, settings);
    }

    String createAccount(String name, Object revenue) {
        return external.create(ENTITY, account(name, revenue)).id();
    }

    static ObjectNode account(String name, Object revenue) {
        ObjectNode f = SyncJson.object();
        f.put("Name", name);
        if (revenue instanceof Number n) {
            f.put("AnnualRevenue", new java.math.BigDecimal(n.toString()));
        } else if (revenue != null) {
            f.put("AnnualRevenue", revenue.toString());
        }
        f.put("Industry", "Energy");
        return f;
    }

    InboundOutcome full() {
        return run(JobType.FULL_SYNC);
    }

    InboundOutcome incremental() {
        return run(JobType.INCREMENTAL);
    }

    InboundOutcome run(JobType type) {
        return run(type, adapter);
    }

    InboundOutcome run(JobType type, com.castiel.sync.spi.ProviderAdapter with) {
        return inbound.run(new InboundJob(integration, type, List.of(), null, "corr-" + type.wire(), 1), with);
    }

    InboundOutcome webhook(String body) {
        WebhookPayload payload = new WebhookPayload("application/json", body, Map.of(), clock.instant());
        return inbound.run(new InboundJob(integration, JobType.WEBHOOK, List.of(), payload, "corr-webhook", 1), adapter);
    }

    /** Live shards linked to this integration's entity. */
    List<Shard> liveShards() {
        List<Shard> all = new ArrayList<>();
        com.castiel.sync.model.ShardId after = null;
        while (true) {
            List<Shard> page = shards.listLinked(TENANT, INTEGRATION, ENTITY, after, 500);
            if (page.isEmpty()) {
                return all.stream().filter(s -> !s.isDeleted()).toList();
            }
            all.addAll(page);
            after = page.get(page.size() - 1).id();
        }
    }

    Shard shardFor(String externalId) {
        return shards.findByExternalIds(TENANT, INTEGRATION, ENTITY, List.of(externalId)).get(externalId);
    }

    /** What the shard data of every live external record must be, keyed by external id. */
    Map<String, ObjectNode> expectedData() {
        RecordMapper mapper = new RecordMapper(integration.mappingForEntity(ENTITY).orElseThrow());
        Map<String, ObjectNode> expected = new java.util.TreeMap<>();
        for (var r : external.find(ENTITY, x -> true)) {
            expected.put(r.id(), mapper.applyTo(SyncJson.object(), mapper.toShard(StoreBackedAdapter.toExternal(r)).values()));
        }
        return expected;
    }

    /** Actual shard data of live shards, keyed by external id. */
    Map<String, ObjectNode> actualData() {
        Map<String, ObjectNode> actual = new java.util.TreeMap<>();
        for (Shard s : liveShards()) {
            String id = s.relationshipFor(INTEGRATION).orElseThrow().externalId();
            if (actual.put(id, s.structuredData()) != null) {
                throw new AssertionError("two live shards link external record " + id);
            }
        }
        return actual;
    }

    static UnaryOperator<EntityMapping> deleteBehavior(DeleteBehavior behavior) {
        return m -> m.withDeleteBehavior(behavior);
    }
}
