package com.castiel.sync.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.azure.core.util.IterableStream;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClient;
import com.azure.messaging.servicebus.administration.models.QueueRuntimeProperties;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.FailureDecision;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** The Service Bus job queue over mocked SDK clients (no broker can run here; see docs/DEPLOY-AZURE.md). */
class ServiceBusJobQueueTest {

    private final ServiceBusClients clients = mock(ServiceBusClients.class);
    private final ServiceBusSenderClient sender = mock(ServiceBusSenderClient.class);
    private final ServiceBusReceiverClient receiver = mock(ServiceBusReceiverClient.class);
    private final ServiceBusReceiverClient deadLetters = mock(ServiceBusReceiverClient.class);
    private final ServiceBusJobQueue queue = new ServiceBusJobQueue(clients);

    ServiceBusJobQueueTest() {
        when(clients.sender(any())).thenReturn(sender);
        when(clients.receiver(any())).thenReturn(receiver);
        when(clients.deadLetterReceiver(any())).thenReturn(deadLetters);
    }

    private static IterableStream<ServiceBusReceivedMessage> stream(ServiceBusReceivedMessage... messages) {
        return new IterableStream<>(List.of(messages));
    }

    private LockedMessage received(ServiceBusReceivedMessage m) {
        when(receiver.receiveMessages(eq(1), any(Duration.class))).thenReturn(stream(m));
        return queue.receive("sync-inbound-webhook", Duration.ofSeconds(1)).orElseThrow();
    }

    @Test
    void sendGoesToTheQueuesSender() {
        queue.send("sync-inbound-scheduled", OutgoingMessage.of("m-1", "{}".getBytes(StandardCharsets.UTF_8)));

        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(clients).sender("sync-inbound-scheduled");
        verify(sender).sendMessage(sent.capture());
        assertThat(sent.getValue().getMessageId()).isEqualTo("m-1");
    }

    @Test
    void anUnknownQueueIsRefusedByName() {
        assertThatThrownBy(() -> queue.send("sync-nowhere", OutgoingMessage.of("m-1", new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sync-nowhere");
    }

    @Test
    void aBusyNamespaceIsARateLimit() {
        ServiceBusException busy = mock(ServiceBusException.class);
        when(busy.getReason()).thenReturn(com.azure.messaging.servicebus.ServiceBusFailureReason.SERVICE_BUSY);
        org.mockito.Mockito.doThrow(busy).when(sender).sendMessage(any());

        assertThatThrownBy(() -> queue.send("sync-inbound-webhook", OutgoingMessage.of("m-1", new byte[0])))
                .isInstanceOf(SyncException.RateLimited.class);
    }

    @Test
    void aReceivedMessageIsCompletedThroughItsReceiver() {
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 1);
        LockedMessage locked = received(m);

        queue.complete(locked);

        verify(receiver).complete(m);
    }

    @Test
    void aMessageCanBeSettledOnlyOnce() {
        LockedMessage locked = received(ReceivedMessages.message("m-1", 1));
        queue.complete(locked);

        assertThatThrownBy(() -> queue.abandon(locked)).isInstanceOf(MessageLockLostException.class);
    }

    @Test
    void deadLetteringPassesTheReasonAndDescription() {
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 1);
        LockedMessage locked = received(m);

        queue.deadLetter(locked, "VALIDATION_ERROR", "non-retryable failure on attempt 1 of 10");

        ArgumentCaptor<DeadLetterOptions> options = ArgumentCaptor.forClass(DeadLetterOptions.class);
        verify(receiver).deadLetter(eq(m), options.capture());
        assertThat(options.getValue().getDeadLetterReason()).isEqualTo("VALIDATION_ERROR");
        assertThat(options.getValue().getDeadLetterErrorDescription()).contains("attempt 1 of 10");
    }

    @Test
    void renewingALockReturnsTheNewExpiry() {
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 1);
        LockedMessage locked = received(m);
        OffsetDateTime later = ReceivedMessages.ENQUEUED.plusMinutes(10);
        when(receiver.renewMessageLock(m)).thenReturn(later);

        assertThat(queue.renewLock(locked).lockedUntil()).isEqualTo(later.toInstant());
    }

    @Test
    void receivingFromTheSessionQueueNeedsASession() {
        assertThatThrownBy(() -> queue.receive("sync-outbound", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAcceptedSessionReceivesItsMessagesAndReleasesThemOnClose() {
        ServiceBusSessionReceiverClient sessions = mock(ServiceBusSessionReceiverClient.class);
        ServiceBusReceiverClient session = mock(ServiceBusReceiverClient.class);
        when(clients.sessionReceiver("sync-outbound")).thenReturn(sessions);
        when(sessions.acceptNextSession()).thenReturn(session);
        when(session.getSessionId()).thenReturn("int-1");
        ServiceBusReceivedMessage m = ReceivedMessages.message("w-1", 5, "int-1", "{}", Map.of());
        when(session.receiveMessages(eq(1), any(Duration.class))).thenReturn(stream(m));

        JobQueue.SessionReceiver accepted = queue.acceptSession("sync-outbound", Duration.ofSeconds(1)).orElseThrow();
        LockedMessage locked = accepted.receive(Duration.ofSeconds(1)).orElseThrow();
        accepted.close();

        assertThat(accepted.sessionId()).isEqualTo("int-1");
        assertThat(locked.sessionId()).isEqualTo("int-1");
        verify(session).close();
        assertThatThrownBy(() -> queue.complete(locked)).isInstanceOf(MessageLockLostException.class);
    }

    @Test
    void aProcessorDeliveredMessageSettlesThroughItsContext() {
        ServiceBusReceivedMessageContext context = mock(ServiceBusReceivedMessageContext.class);
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 1);
        when(context.getMessage()).thenReturn(m);

        LockedMessage locked = queue.track("sync-inbound-webhook", context);
        queue.deadLetter(locked, "NOT_FOUND", "gone");

        verify(context).deadLetter(any(DeadLetterOptions.class));
    }

    @Test
    void statsComeFromTheQueuesRuntimeProperties() {
        ServiceBusAdministrationClient admin = mock(ServiceBusAdministrationClient.class);
        QueueRuntimeProperties props = mock(QueueRuntimeProperties.class);
        when(clients.administration()).thenReturn(admin);
        when(admin.getQueueRuntimeProperties("sync-inbound-scheduled")).thenReturn(props);
        when(props.getActiveMessageCount()).thenReturn(120);
        when(props.getScheduledMessageCount()).thenReturn(4);
        when(props.getDeadLetterMessageCount()).thenReturn(11);

        assertThat(queue.stats("sync-inbound-scheduled")).isEqualTo(new JobQueue.QueueStats(120, 4, 11));
    }

    @Test
    void deadLettersArePeekedFromTheStartOfTheSubQueue() {
        ServiceBusReceivedMessage d = ReceivedMessages.message("m-1", 3);
        when(d.getDeadLetterReason()).thenReturn("TTLExpiredException");
        when(deadLetters.peekMessages(10, 0L)).thenReturn(stream(d));

        List<DeadLetter> listed = queue.deadLetters("sync-inbound-webhook", 10);

        assertThat(listed).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo("TTLExpiredException");
            assertThat(x.sequenceNumber()).isEqualTo(3);
            assertThat(x.queue()).isEqualTo("sync-inbound-webhook");
        });
    }

    @Test
    void replayFindsTheDeadLetterResendsItTransformedAndLeavesTheOthers() {
        ServiceBusReceivedMessage before = ReceivedMessages.message("m-1", 1);
        ServiceBusReceivedMessage wanted = ReceivedMessages.message("m-2", 2, null, "{\"attempt\":7}",
                Map.of("tenantId", "t", DeadLetterHandOff.REASON_PROPERTY, "NOT_FOUND"));
        when(deadLetters.receiveMessages(anyInt(), any(Duration.class))).thenReturn(stream(before, wanted));

        boolean replayed = queue.replayDeadLetter("sync-inbound-scheduled", 2, body -> "{\"attempt\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(replayed).isTrue();
        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        InOrder order = inOrder(sender, deadLetters);
        order.verify(sender).sendMessage(sent.capture());
        order.verify(deadLetters).complete(wanted);
        verify(deadLetters).abandon(before);
        verify(deadLetters, never()).complete(before);
        assertThat(sent.getValue().getBody().toString()).isEqualTo("{\"attempt\":1}");
        assertThat(sent.getValue().getMessageId()).isEqualTo("m-2~replay~2");
        assertThat(sent.getValue().getApplicationProperties()).containsEntry("tenantId", "t")
                .doesNotContainKey(DeadLetterHandOff.REASON_PROPERTY);
    }

    @Test
    void replayOfAnUnknownSequenceNumberIsFalse() {
        ServiceBusReceivedMessage other = ReceivedMessages.message("m-1", 1);
        when(deadLetters.receiveMessages(anyInt(), any(Duration.class))).thenReturn(stream(other), stream());

        assertThat(queue.replayDeadLetter("sync-inbound-scheduled", 99, b -> b)).isFalse();
        verify(sender, never()).sendMessage(any());
    }

    @Test
    void purgingEverythingCompletesEveryDeadLetter() {
        ServiceBusReceivedMessage a = ReceivedMessages.message("m-1", 1);
        ServiceBusReceivedMessage b = ReceivedMessages.message("m-2", 2);
        when(deadLetters.receiveMessages(anyInt(), any(Duration.class))).thenReturn(stream(a, b), stream());

        assertThat(queue.purgeDeadLetters("sync-inbound-webhook", null)).isEqualTo(2);
        verify(deadLetters).complete(a);
        verify(deadLetters).complete(b);
    }

    @Test
    void theEnginesRetryReschedulesTheNextAttemptInTheSameSessionThenCompletes() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
        ServiceBusSessionReceiverClient sessions = mock(ServiceBusSessionReceiverClient.class);
        ServiceBusReceiverClient session = mock(ServiceBusReceiverClient.class);
        when(clients.sessionReceiver("sync-outbound")).thenReturn(sessions);
        when(sessions.acceptNextSession()).thenReturn(session);
        SyncJobMessage job = new SyncJobMessage(IntegrationId.of("int-1"), TenantId.of("tenant-a"), JobType.INCREMENTAL, "salesforce",
                null, List.of(), clock.instant(), 1, "corr-1", "scheduler");
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 1, "int-1", SyncJson.write(job), Map.of());
        when(session.receiveMessages(eq(1), any(Duration.class))).thenReturn(stream(m));
        LockedMessage locked = queue.acceptSession("sync-outbound", Duration.ZERO).orElseThrow().receive(Duration.ZERO).orElseThrow();
        JobSettlement settlement = new JobSettlement(queue, JobFailurePolicy.withDefaults(clock), new RecordingEventPublisher(), clock);

        FailureDecision decision = settlement.settleFailure(locked, job,
                new SyncException.Transient(com.castiel.sync.spi.ErrorCode.TIMEOUT, "timed out", SyncException.Details.NONE), null);

        assertThat(decision).isInstanceOf(FailureDecision.Retry.class);
        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        InOrder order = inOrder(sender, session);
        order.verify(sender).sendMessage(sent.capture());
        order.verify(session).complete(m);
        assertThat(sent.getValue().getSessionId()).isEqualTo("int-1");
        assertThat(sent.getValue().getScheduledEnqueueTime().toInstant()).isAfter(clock.instant());
        assertThat(sent.getValue().getMessageId()).isEqualTo(JobSettlement.retryMessageId("corr-1", "m-1", 2));
    }

    @Test
    void theEnginesDeadLetterCarriesTheErrorCodeAndIsAnnounced() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
        SyncJobMessage job = new SyncJobMessage(IntegrationId.of("int-1"), TenantId.of("tenant-a"), JobType.FULL_SYNC, "salesforce",
                null, List.of(), clock.instant(), 1, "corr-1", "scheduler");
        ServiceBusReceivedMessage m = ReceivedMessages.message("m-1", 1, null, SyncJson.write(job), Map.of());
        LockedMessage locked = received(m);
        RecordingEventPublisher events = new RecordingEventPublisher();

        new JobSettlement(queue, JobFailurePolicy.withDefaults(clock), events, clock)
                .settleFailure(locked, job, new SyncException.NotFound("integration gone", SyncException.Details.NONE), null);

        ArgumentCaptor<DeadLetterOptions> options = ArgumentCaptor.forClass(DeadLetterOptions.class);
        verify(receiver).deadLetter(eq(m), options.capture());
        assertThat(options.getValue().getDeadLetterReason()).isEqualTo("NOT_FOUND");
        assertThat(events.events()).hasAtLeastOneElementOfType(SyncEvent.DeadLettered.class);
    }

    @Test
    void sendAllPacksMessagesIntoBrokerBatches() {
        com.azure.messaging.servicebus.ServiceBusMessageBatch batch = mock(com.azure.messaging.servicebus.ServiceBusMessageBatch.class);
        when(sender.createMessageBatch()).thenReturn(batch);
        when(batch.tryAddMessage(any())).thenReturn(true);
        when(batch.getCount()).thenReturn(3);

        queue.sendAll("sync-inbound-webhook", Stream.of("a", "b", "c").map(id -> OutgoingMessage.of(id, new byte[0])).toList());

        verify(batch, org.mockito.Mockito.times(3)).tryAddMessage(any());
        verify(sender).sendMessages(batch);
    }

    @Test
    void sessionAcceptTimingOutIsNoSession() {
        ServiceBusSessionReceiverClient sessions = mock(ServiceBusSessionReceiverClient.class);
        when(clients.sessionReceiver("sync-outbound")).thenReturn(sessions);
        ServiceBusException timeout = mock(ServiceBusException.class);
        when(timeout.getReason()).thenReturn(com.azure.messaging.servicebus.ServiceBusFailureReason.SERVICE_TIMEOUT);
        when(sessions.acceptNextSession()).thenThrow(timeout);

        assertThat(queue.acceptSession("sync-outbound", Duration.ofSeconds(1))).isEqualTo(Optional.empty());
    }
}
