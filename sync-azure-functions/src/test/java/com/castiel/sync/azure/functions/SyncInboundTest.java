package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.azure.servicebus.DeadLetterHandOff;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.fake.Fault;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SyncInboundScheduled and SyncInboundWebhook invoked directly, as the host would. */
class SyncInboundTest {

    private FunctionsTestBed bed;
    private SyncInboundScheduled scheduled;
    private SyncInboundWebhook webhook;

    @BeforeEach
    void setUp() {
        bed = new FunctionsTestBed();
        bed.connect();
        scheduled = new SyncInboundScheduled(() -> bed.runtime);
        webhook = new SyncInboundWebhook(() -> bed.runtime);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private void deliverScheduled(TriggerMessage m) {
        scheduled.run(m.body(), m.messageId(), m.sequenceNumber(), m.deliveryCount(), m.correlationId(), m.lockToken(),
                m.enqueuedTimeUtc(), m.expiresAtUtc(), m.applicationProperties(), new FakeExecutionContext("SyncInboundScheduled"));
    }

    @Test
    void aFullSyncJobCreatesTheShardsAndCompletes() {
        String a = bed.createContact("Ada", "ada@example.com");
        String b = bed.createContact("Grace", "grace@example.com");

        deliverScheduled(FunctionsTestBed.trigger(FunctionsTestBed.job(JobType.FULL_SYNC), "m-1", 1));

        assertThat(bed.shards.findByExternalIds(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION, "contacts", List.of(a, b))).hasSize(2);
        assertThat(bed.events.eventsOfType(SyncEvent.SyncCompleted.class)).hasSize(1);
        assertThat(bed.integrations.get(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION).orElseThrow().structuredData().lastSyncAt())
                .isNotNull();
    }

    @Test
    void aJobInAnEventGridEnvelopeIsRunLikeARawOne() {
        String a = bed.createContact("Ada", "ada@example.com");
        String envelope = "{\"id\":\"evt-1\",\"eventType\":\"Castiel.Integration.SyncScheduled\",\"subject\":\"/integrations/int-1/sync\","
                + "\"eventTime\":\"2026-11-28T10:00:00Z\",\"dataVersion\":\"1.0\",\"data\":" + FunctionsTestBed.job(JobType.FULL_SYNC) + "}";

        deliverScheduled(FunctionsTestBed.trigger(envelope, "m-2", 1));

        assertThat(bed.shards.findByExternalIds(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION, "contacts", List.of(a))).hasSize(1);
    }

    @Test
    void aJobForAMissingIntegrationIsHandedOffToTheDeadLetterQueueWithItsReason() {
        bed.integrations.delete(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION);

        deliverScheduled(FunctionsTestBed.trigger(FunctionsTestBed.job(JobType.INCREMENTAL), "m-3", 1));

        LockedMessage handOff = bed.take(QueueSpec.INBOUND_SCHEDULED.name());
        assertThat(handOff.properties()).containsEntry(DeadLetterHandOff.REASON_PROPERTY, "NOT_FOUND");
        assertThat(handOff.properties().get(DeadLetterHandOff.DESCRIPTION_PROPERTY)).contains("non-retryable");
        assertThat(SyncJson.read(handOff.body(), SyncJobMessage.class).integrationId()).isEqualTo(FunctionsTestBed.INTEGRATION);
        assertThat(bed.events.eventsOfType(SyncEvent.DeadLettered.class)).hasSize(1);
    }

    @Test
    void aHandOffCopyIsRefusedSoTheBrokerDeadLettersIt() {
        String properties = "{\"" + DeadLetterHandOff.REASON_PROPERTY + "\":\"NOT_FOUND\",\"" + DeadLetterHandOff.DESCRIPTION_PROPERTY + "\":\"x\"}";
        TriggerMessage m = new TriggerMessage(FunctionsTestBed.job(JobType.INCREMENTAL), "dl-1", 9L, 1, null, "c", "lock-dl-1",
                null, null, properties);

        assertThatThrownBy(() -> deliverScheduled(m)).isInstanceOf(RedeliveryRequested.class).hasMessageContaining("hand-off");
        assertThat(bed.events.eventsOfType(SyncEvent.SyncCompleted.class)).isEmpty();
    }

    @Test
    void aTransientProviderFailureSchedulesTheNextAttemptAndCompletes() {
        bed.createContact("Ada", "ada@example.com");
        bed.provider.faults().next(1000, com.castiel.sync.testkit.fake.RequestMatcher.method("GET"), new Fault.ServiceUnavailable(0));

        deliverScheduled(FunctionsTestBed.trigger(FunctionsTestBed.job(JobType.FULL_SYNC), "m-4", 1));

        assertThat(bed.queue.stats(QueueSpec.INBOUND_SCHEDULED.name()).scheduled()).isEqualTo(1);
        assertThat(bed.events.eventsOfType(SyncEvent.SyncFailed.class)).singleElement().satisfies(e -> assertThat(e.willRetry()).isTrue());
    }

    @Test
    void anUnreadableBodyIsHandedOffAsUnreadable() {
        webhook.run("not json at all", "m-5", 1L, 1, "c", "lock-m-5", null, null, "{\"tenantId\":\"tenant-a\",\"integrationId\":\"int-1\"}",
                new FakeExecutionContext("SyncInboundWebhook"));

        LockedMessage handOff = bed.take(QueueSpec.INBOUND_WEBHOOK.name());
        assertThat(handOff.properties().get(DeadLetterHandOff.REASON_PROPERTY)).isNotBlank();
    }
}
