package com.castiel.sync.azure.servicebus;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import java.util.Objects;

/**
 * Settlement of a message delivered by a {@code ServiceBusProcessorClient}, as plain functions of
 * its {@link ServiceBusReceivedMessageContext}: complete, abandon, dead-letter with reason and
 * description, and reschedule (send the next attempt for later, then complete). A lost lock
 * surfaces as {@link MessageLockLostException}, as the {@code JobQueue} port specifies.
 */
public final class MessageSettlement {

    private MessageSettlement() {
    }

    public static void complete(ServiceBusReceivedMessageContext context) {
        settle(context, () -> context.complete());
    }

    /** Makes the message visible again at once; its delivery count stays incremented. */
    public static void abandon(ServiceBusReceivedMessageContext context) {
        settle(context, () -> context.abandon());
    }

    /**
     * Moves the message to its queue's dead-letter sub-queue with {@code reason} (the engine's
     * error code) and {@code description}, each bounded to the 4096 characters Service Bus takes.
     */
    public static void deadLetter(ServiceBusReceivedMessageContext context, String reason, String description) {
        Objects.requireNonNull(reason, "reason");
        DeadLetterOptions options = new DeadLetterOptions()
                .setDeadLetterReason(DeadLetterHandOff.bounded(reason))
                .setDeadLetterErrorDescription(DeadLetterHandOff.bounded(description == null ? "" : description));
        settle(context, () -> context.deadLetter(options));
    }

    /**
     * Sends {@code next} (the next attempt, with its scheduled enqueue time and the received
     * message's session) through {@code sender}, then completes the received message. The send
     * comes first: if the process dies in between, the redelivered message produces the same
     * next-attempt id and duplicate detection drops the second send.
     */
    public static void reschedule(ServiceBusReceivedMessageContext context, ServiceBusSenderClient sender, QueueSpec queue,
                                  OutgoingMessage next) {
        Objects.requireNonNull(next.scheduledEnqueueTime(), "a rescheduled message needs a scheduled enqueue time");
        sender.sendMessage(ServiceBusMessages.toServiceBus(queue, next));
        complete(context);
    }

    private static void settle(ServiceBusReceivedMessageContext context, Runnable action) {
        try {
            action.run();
        } catch (ServiceBusException e) {
            ServiceBusFailureReason reason = e.getReason();
            if (ServiceBusFailureReason.MESSAGE_LOCK_LOST.equals(reason) || ServiceBusFailureReason.SESSION_LOCK_LOST.equals(reason)) {
                throw new MessageLockLostException("the lock on message " + context.getMessage().getMessageId() + " of "
                        + context.getEntityPath() + " was lost; it will be redelivered");
            }
            throw e;
        }
    }
}
