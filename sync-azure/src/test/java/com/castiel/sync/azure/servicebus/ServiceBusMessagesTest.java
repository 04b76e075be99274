package com.castiel.sync.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.when;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceBusMessagesTest {

    private static final byte[] BODY = "{\"jobType\":\"incremental\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anOutgoingMessageKeepsItsIdCorrelationScheduleTtlAndProperties() {
        Instant at = Instant.parse("2025-01-15T10:05:00Z");
        OutgoingMessage m = new OutgoingMessage("m-1", null, BODY, "corr-1", at, Duration.ofHours(1), Map.of("tenantId", "t"));

        ServiceBusMessage out = ServiceBusMessages.toServiceBus(QueueSpec.INBOUND_SCHEDULED, m);

        assertThat(out.getMessageId()).isEqualTo("m-1");
        assertThat(out.getCorrelationId()).isEqualTo("corr-1");
        assertThat(out.getScheduledEnqueueTime().toInstant()).isEqualTo(at);
        assertThat(out.getTimeToLive()).isEqualTo(Duration.ofHours(1));
        assertThat(out.getApplicationProperties()).containsEntry("tenantId", "t");
        assertThat(out.getContentType()).isEqualTo("application/json");
        assertThat(out.getBody().toBytes()).isEqualTo(BODY);
        assertThat(out.getSessionId()).isNull();
    }

    @Test
    void aWriteBackCarriesItsIntegrationAsSessionId() {
        ServiceBusMessage out = ServiceBusMessages.toServiceBus(QueueSpec.OUTBOUND, OutgoingMessage.of("m-1", BODY).withSession("int-1"));

        assertThat(out.getSessionId()).isEqualTo("int-1");
    }

    @Test
    void theSessionQueueRefusesAMessageWithoutSession() {
        assertThatThrownBy(() -> ServiceBusMessages.toServiceBus(QueueSpec.OUTBOUND, OutgoingMessage.of("m-1", BODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sync-outbound").hasMessageContaining("session");
    }

    @Test
    void aQueueWithoutSessionsRefusesASessionId() {
        assertThatThrownBy(() -> ServiceBusMessages.toServiceBus(QueueSpec.INBOUND_WEBHOOK, OutgoingMessage.of("m-1", BODY).withSession("s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sync-inbound-webhook");
    }

    @Test
    void anIdLongerThanServiceBusAllowsIsRefusedByName() {
        assertThatThrownBy(() -> ServiceBusMessages.toServiceBus(QueueSpec.INBOUND_WEBHOOK, OutgoingMessage.of("x".repeat(129), BODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messageId");
    }

    @Test
    void aReceivedMessageBecomesALockedMessage() {
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 42, "int-1", "{\"a\":1}", Map.of("tenantId", "t", "n", 3));

        LockedMessage locked = ServiceBusMessages.toLocked("sync-outbound", m);

        assertThat(locked.queue()).isEqualTo("sync-outbound");
        assertThat(locked.messageId()).isEqualTo("m-1");
        assertThat(locked.sequenceNumber()).isEqualTo(42);
        assertThat(locked.sessionId()).isEqualTo("int-1");
        assertThat(new String(locked.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(locked.deliveryCount()).isEqualTo(2);
        assertThat(locked.lockToken()).isEqualTo("lock-m-1");
        assertThat(locked.lockedUntil()).isEqualTo(ReceivedMessages.ENQUEUED.plusMinutes(5).toInstant());
        assertThat(locked.properties()).containsEntry("tenantId", "t").containsEntry("n", "3");
    }

    @Test
    void aBrokerDeadLetterKeepsTheBrokersReason() {
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 7);
        when(m.getDeadLetterReason()).thenReturn("MaxDeliveryCountExceeded");
        when(m.getDeadLetterErrorDescription()).thenReturn("Message could not be consumed after 10 delivery attempts.");

        DeadLetter d = ServiceBusMessages.toDeadLetter("sync-inbound-scheduled", m);

        assertThat(d.reason()).isEqualTo("MaxDeliveryCountExceeded");
        assertThat(d.sequenceNumber()).isEqualTo(7);
    }

    @Test
    void aHandedOffDeadLetterReportsTheEnginesReasonAndDescription() {
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 7, null, "{}",
                Map.of(DeadLetterHandOff.REASON_PROPERTY, "NOT_FOUND", DeadLetterHandOff.DESCRIPTION_PROPERTY, "gave up"));
        when(m.getDeadLetterReason()).thenReturn("MaxDeliveryCountExceeded");

        DeadLetter d = ServiceBusMessages.toDeadLetter("sync-inbound-scheduled", m);

        assertThat(d.reason()).isEqualTo("NOT_FOUND");
        assertThat(d.description()).isEqualTo("gave up");
    }

    @Test
    void aHandOffCopyKeepsBodySessionAndCorrelationWithAStableId() {
        LockedMessage received = ServiceBusMessages.toLocked("sync-outbound", ReceivedMessages.message("m-1", 1, "int-1", "{\"x\":1}", Map.of()));

        OutgoingMessage first = DeadLetterHandOff.copyOf(received, "VALIDATION_ERROR", "bad");
        OutgoingMessage again = DeadLetterHandOff.copyOf(received, "VALIDATION_ERROR", "bad");

        assertThat(first.messageId()).isEqualTo(again.messageId()).isNotEqualTo("m-1");
        assertThat(first.sessionId()).isEqualTo("int-1");
        assertThat(first.body()).isEqualTo(received.body());
        assertThat(first.correlationId()).isEqualTo("corr-m-1");
        assertThat(DeadLetterHandOff.isHandOff(first.properties())).isTrue();
        assertThat(DeadLetterHandOff.isHandOff(received.properties())).isFalse();
    }
}
