package com.castiel.sync.testkit.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.inbound.InboundJob;
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
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.ShardEdits;
import com.castiel.sync.outbound.WriteBackProcessor;
import com.castiel.sync.outbound.WriteBackTrigger;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.testkit.adapter.ContractHost;
import com.castiel.sync.testkit.fake.JournalEntry;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.reference.ReferenceAdapterFactory;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import com.castiel.sync.testkit.time.ManualSleeper;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Echo suppression end to end, over real HTTP with the reference provider: after one write-back,
 * polls and webhooks for the written record find it unchanged, so nothing is written to either
 * side again, however often they run.
 */
class EchoSuppressionTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final String ENTITY = "contacts";
    private static final EntityMapping MAPPING = EntityMapping.of(ENTITY, "person", List.of(
            FieldMapping.of("name", "name"),
            FieldMapping.of("email", "contact.email"),
            FieldMapping.of("score", "score", FieldType.NUMBER),
            FieldMapping.of("active", "active", FieldType.BOOLEAN).withDirection(FieldDirection.IN)));

    private final MutableClock clock = MutableClock.at("2026-03-01T09:00:00Z");
    private final ReferenceProviderServer server = new ReferenceProviderServer(clock).start();
    private final ContractHost host = new ContractHost(new ReferenceAdapterFactory(), server.settings(), server.connect(), clock,
            Duration.ofSeconds(10));
    private final ProviderAdapter adapter = host.openAdapter();
    private final InMemoryShardStore shards = new InMemoryShardStore();
    private final InMemoryIntegrationStore integrations = new InMemoryIntegrationStore(clock);
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final InboundSync inbound = new InboundSync(shards, new InMemoryRunStore(), clock, InboundSettings.defaults());
    private final WriteBackTrigger trigger = new WriteBackTrigger(integrations, queue, clock);
    private final ShardEdits edits = new ShardEdits(shards, trigger, clock);
    private final WriteBackProcessor processor = new WriteBackProcessor(integrations, shards, i -> adapter, queue,
            JobFailurePolicy.withDefaults(clock), new RecordingEventPublisher(), new SyncMetrics(new SimpleMeterRegistry(), clock), clock,
            new ManualSleeper(clock), OutboundSettings.defaults().withBatchWait(Duration.ZERO));
    private final Integration integration;

    EchoSuppressionTest() {
        IntegrationData data = IntegrationData.of(ReferenceProviderServer.PROVIDER, List.of(MAPPING))
                .withSettings(Map.of("baseUrl", server.baseUrl().toString()))
                .withConflictResolution(ConflictResolution.NEWEST_WINS)
                .withWriteBack(WriteBackSettings.enabledWithDefaults());
        integration = integrations.create(new Integration(IntegrationId.of("int-ref"), TENANT, "reference", data, 0, null, null));
    }

    @AfterEach
    void stop() {
        host.close();
        server.close();
    }

    private static ObjectNode fields(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    private SyncStats run(JobType type, WebhookPayload payload) {
        return inbound.run(new InboundJob(integration, type, List.of(), payload, "c", 1), adapter).run().stats();
    }

    private WebhookPayload webhookAbout(List<StoredRecord> records) {
        WebhookDelivery delivery = server.webhookFor(records);
        return new WebhookPayload("application/json", delivery.bodyText(), Map.of(), clock.instant());
    }

    private Map<String, String> etags() {
        return shards.listLinked(TENANT, integration.id(), ENTITY, null, 100).stream()
                .collect(Collectors.toMap(s -> s.id().value(), Shard::etag));
    }

    private List<JournalEntry> writesSince(long sequence) {
        return server.journal().since(sequence).stream()
                .filter(e -> e.path().startsWith("/v1/") && !e.method().equals("GET"))
                .toList();
    }

    @Test
    void a_hundred_rounds_of_polls_and_webhooks_after_one_write_back_write_nothing_and_update_nothing() {
        for (int i = 1; i <= 3; i++) {
            server.store().create(ENTITY, fields("{\"name\": \"Contact " + i + "\", \"email\": \"c" + i + "@example.test\", \"score\": " + i
                    + ", \"active\": true}"));
        }
        assertThat(run(JobType.FULL_SYNC, null).created()).isEqualTo(3);
        Map<String, Shard> byExternalId = shards.listLinked(TENANT, integration.id(), ENTITY, null, 100).stream()
                .collect(Collectors.toMap(s -> s.externalRelationships().get(0).externalId(), Function.identity()));
        String target = byExternalId.keySet().stream().sorted().findFirst().orElseThrow();
        Shard shard = byExternalId.get(target);
        clock.advance(Duration.ofSeconds(5));

        edits.update(TENANT, shard.id(), shard.etag(), d -> {
            d.put("name", "Renamed in Castiel");
            d.put("score", 42.50);
            ((ObjectNode) d.get("contact")).put("email", "new@example.test");
            return d;
        }, "user-7");
        long beforeWriteBack = server.journal().totalCount();
        processor.processNextSession(Duration.ZERO).orElseThrow();

        assertThat(writesSince(beforeWriteBack)).as("exactly one write reached the provider").singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(200));
        StoredRecord written = server.store().get(ENTITY, target).orElseThrow();
        assertThat(written.fields().get("name").asText()).isEqualTo("Renamed in Castiel");
        assertThat(written.fields().get("email").asText()).isEqualTo("new@example.test");
        assertThat(written.fields().get("score").decimalValue()).isEqualByComparingTo("42.5");
        Shard afterWriteBack = shards.get(TENANT, shard.id()).orElseThrow();
        assertThat(afterWriteBack.externalRelationships().get(0).syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(afterWriteBack.externalRelationships().get(0).lastSeenVersion()).isEqualTo(written.etag());

        Map<String, String> etags = etags();
        long sequenceAfterWriteBack = server.journal().totalCount();
        for (int round = 1; round <= 100; round++) {
            clock.advance(Duration.ofSeconds(1));
            SyncStats poll = run(round % 10 == 0 ? JobType.FULL_SYNC : JobType.INCREMENTAL, null);
            SyncStats hook = run(JobType.WEBHOOK, webhookAbout(List.of(server.store().get(ENTITY, target).orElseThrow())));
            processor.processNextSession(Duration.ZERO);

            assertThat(poll.created() + poll.updated() + poll.deleted()).as("poll of round %d", round).isZero();
            assertThat(hook.created() + hook.updated() + hook.deleted()).as("webhook of round %d", round).isZero();
            assertThat(hook.unchanged()).as("webhook of round %d", round).isEqualTo(1);
        }

        assertThat(writesSince(sequenceAfterWriteBack)).as("no further write").isEmpty();
        assertThat(etags()).as("no further shard update").isEqualTo(etags);
        assertThat(queue.stats(QueueSpec.OUTBOUND.name()).active()).isZero();
        assertThat(server.store().get(ENTITY, target).orElseThrow().version()).isEqualTo(written.version());
    }
}
