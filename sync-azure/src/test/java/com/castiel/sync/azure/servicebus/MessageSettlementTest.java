package com.castiel.sync.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.azure.messaging.servicebus.ServiceBusErrorSource;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class MessageSettlementTest {

    private final ServiceBusReceivedMessageContext context = mock(ServiceBusReceivedMessageContext.class);

    MessageSettlementTest() {
        var m = ReceivedMessages.message("m-1", 1);
        when(context.getMessage()).thenReturn(m);
        when(context.getEntityPath()).thenReturn("sync-inbound-webhook");
    }

    @Test
    void completeCompletesTheContext() {
        MessageSettlement.complete(context);

        verify(context).complete();
    }

    @Test
    void abandonAbandonsTheContext() {
        MessageSettlement.abandon(context);

        verify(context).abandon();
    }

    @Test
    void deadLetterPassesReasonAndDescription() {
        MessageSettlement.deadLetter(context, "NOT_FOUND", "gave up after attempt 1 of 10");

        ArgumentCaptor<DeadLetterOptions> options = ArgumentCaptor.forClass(DeadLetterOptions.class);
        verify(context).deadLetter(options.capture());
        assertThat(options.getValue().getDeadLetterReason()).isEqualTo("NOT_FOUND");
        assertThat(options.getValue().getDeadLetterErrorDescription()).isEqualTo("gave up after attempt 1 of 10");
    }

    @Test
    void deadLetterBoundsTheDescriptionToWhatServiceBusTakes() {
        MessageSettlement.deadLetter(context, "INTERNAL_ERROR", "x".repeat(10_000));

        ArgumentCaptor<DeadLetterOptions> options = ArgumentCaptor.forClass(DeadLetterOptions.class);
        verify(context).deadLetter(options.capture());
        assertThat(options.getValue().getDeadLetterErrorDescription()).hasSize(4096);
    }

    @Test
    void rescheduleSendsTheNextAttemptBeforeCompleting() {
        ServiceBusSenderClient sender = mock(ServiceBusSenderClient.class);
        Instant at = Instant.parse("2025-01-15T10:00:05Z");
        OutgoingMessage next = OutgoingMessage.of("retry-1", new byte[] {'{', '}'}).scheduledAt(at).withSession("int-1");

        MessageSettlement.reschedule(context, sender, QueueSpec.OUTBOUND, next);

        InOrder order = inOrder(sender, context);
        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        order.verify(sender).sendMessage(sent.capture());
        order.verify(context).complete();
        assertThat(sent.getValue().getScheduledEnqueueTime().toInstant()).isEqualTo(at);
        assertThat(sent.getValue().getSessionId()).isEqualTo("int-1");
        assertThat(sent.getValue().getMessageId()).isEqualTo("retry-1");
    }

    @Test
    void aFailedRescheduleSendLeavesTheMessageUnsettled() {
        ServiceBusSenderClient sender = mock(ServiceBusSenderClient.class);
        doThrow(new ServiceBusException(new RuntimeException("link closed"), ServiceBusErrorSource.SEND)).when(sender).sendMessage(any());
        OutgoingMessage next = OutgoingMessage.of("retry-1", new byte[] {'{', '}'}).scheduledAt(Instant.EPOCH);

        assertThatThrownBy(() -> MessageSettlement.reschedule(context, sender, QueueSpec.INBOUND_WEBHOOK, next)).isInstanceOf(ServiceBusException.class);
        verify(context, never()).complete();
    }

    @Test
    void aLostLockIsReportedAsTheEnginesLockLoss() {
        ServiceBusException lost = mock(ServiceBusException.class);
        when(lost.getReason()).thenReturn(com.azure.messaging.servicebus.ServiceBusFailureReason.MESSAGE_LOCK_LOST);
        doThrow(lost).when(context).complete();

        assertThatThrownBy(() -> MessageSettlement.complete(context)).isInstanceOf(MessageLockLostException.class).hasMessageContaining("m-1");
    }
}
