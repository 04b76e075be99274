package com.castiel.sync.azure.functions;

import com.castiel.sync.outbound.SessionOutcome;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import java.util.function.Supplier;

/**
 * Writes shard changes back to the external system from {@code sync-outbound}. The queue has
 * sessions (session id = integration id), so the host delivers one integration's write-backs in
 * order, one at a time; each runs through the engine's write-back processor.
 */
public final class SyncOutbound {

    private final Supplier<FunctionsRuntime> runtime;

    public SyncOutbound() {
        this(FunctionsRuntime::shared);
    }

    SyncOutbound(Supplier<FunctionsRuntime> runtime) {
        this.runtime = runtime;
    }

    @FunctionName("SyncOutbound")
    public void run(
            @ServiceBusQueueTrigger(name = "message", queueName = "sync-outbound", connection = "SERVICEBUS_SYNC_CONNECTION",
                    isSessionsEnabled = true) String message,
            @BindingName("MessageId") String messageId,
            @BindingName("SequenceNumber") Long sequenceNumber,
            @BindingName("DeliveryCount") Integer deliveryCount,
            @BindingName("SessionId") String sessionId,
            @BindingName("CorrelationId") String correlationId,
            @BindingName("LockToken") String lockToken,
            @BindingName("EnqueuedTimeUtc") String enqueuedTimeUtc,
            @BindingName("ExpiresAtUtc") String expiresAtUtc,
            @BindingName("ApplicationProperties") String applicationProperties,
            ExecutionContext context) {
        process(new TriggerMessage(message, messageId, sequenceNumber, deliveryCount, sessionId, correlationId, lockToken, enqueuedTimeUtc,
                expiresAtUtc, applicationProperties), context);
    }

    /** One delivered write-back; the outcome is logged. */
    SessionOutcome process(TriggerMessage message, ExecutionContext context) {
        SessionOutcome outcome = ServiceBusTrigger.outbound(runtime.get(), message, context.getLogger());
        context.getLogger().info("write-back session turn: " + outcome);
        return outcome;
    }
}
