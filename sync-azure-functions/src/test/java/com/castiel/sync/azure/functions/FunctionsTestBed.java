package com.castiel.sync.azure.functions;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.testkit.memory.InMemoryCredentialStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import com.castiel.sync.testkit.time.ManualSleeper;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The functions over the real engine on in-memory ports, syncing with the test kit's reference
 * provider (a real HTTP server on 127.0.0.1) through the reference adapter found by ServiceLoader,
 * as in the packaged app. The in-memory queue stands where Service Bus stands in Azure.
 */
final class FunctionsTestBed implements AutoCloseable {

    static final TenantId TENANT = TenantId.of("tenant-a");
    static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    static final String ENDPOINT_KEY = "ek-7f3c0a9d2b6e41c8";
    static final String ENTITY = "contacts";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    final ManualSleeper sleeper = new ManualSleeper(clock);
    final ReferenceProviderServer provider = new ReferenceProviderServer(clock).start();
    final InMemoryShardStore shards = new InMemoryShardStore();
    final InMemoryIntegrationStore integrations = new InMemoryIntegrationStore(clock);
    final InMemoryRunStore runs = new InMemoryRunStore();
    final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    final RecordingEventPublisher events = new RecordingEventPublisher();
    final SyncEngine engine;
    final FunctionsRuntime runtime;

    FunctionsTestBed() {
        engine = SyncEngine.builder().shards(shards).integrations(integrations).runs(runs).credentials(credentials)
                .queue(queue).events(events).clock(clock).sleeper(sleeper).build();
        runtime = FunctionsRuntime.create(engine, sleeper, OutboundSettings.defaults().withBatchWait(Duration.ZERO));
    }

    /** The reference integration, write-back enabled, contacts mapped both ways. */
    Integration connect() {
        EntityMapping mapping = EntityMapping.of(ENTITY, "c_contact", List.of(
                        FieldMapping.of("name", "name").asRequired(),
                        FieldMapping.of("email", "email"),
                        FieldMapping.of("score", "score", FieldType.NUMBER)))
                .withSyncDirection(SyncDirection.BIDIRECTIONAL);
        IntegrationData data = IntegrationData.of(ReferenceProviderServer.PROVIDER, List.of(mapping))
                .withSettings(provider.settings().values())
                .withSyncFrequency(SyncFrequency.everyMinutes(15))
                .withWriteBack(WriteBackSettings.enabledWithDefaults())
                .withWebhookEndpointKey(ENDPOINT_KEY);
        Integration created = integrations.create(new Integration(INTEGRATION, TENANT, "Reference", data, 0, null, null));
        credentials.put(TENANT, INTEGRATION, provider.connect());
        return created;
    }

    String createContact(String name, String email) {
        ObjectNode fields = SyncJson.object().put("name", name).put("email", email).put("score", 7);
        return provider.store().create(ENTITY, fields).id();
    }

    /** A job message as the engine sends it (the body of a Service Bus message). */
    static String job(JobType type) {
        return SyncJson.write(new SyncJobMessage(INTEGRATION, TENANT, type, ReferenceProviderServer.PROVIDER, null, List.of(),
                Instant.parse("2026-11-28T10:00:00Z"), 1, "corr-" + type.wire(), "test"));
    }

    static TriggerMessage trigger(String body, String messageId, int deliveryCount) {
        return new TriggerMessage(body, messageId, 1L, deliveryCount, null, "corr-" + messageId, "lock-" + messageId + "-" + deliveryCount,
                "2026-11-28T10:00:00Z", "2026-12-05T10:00:00Z", "{}");
    }

    /** Takes the next visible message of a queue and completes it in the in-memory queue. */
    LockedMessage take(String queueName) {
        LockedMessage m = queue.receive(queueName, Duration.ZERO).orElseThrow(() -> new AssertionError("no message on " + queueName));
        queue.complete(m);
        return m;
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    Map<String, String> webhookHeaders(Map<String, String> signed) {
        return new java.util.LinkedHashMap<>(signed);
    }

    @Override
    public void close() {
        engine.close();
        provider.close();
    }
}
