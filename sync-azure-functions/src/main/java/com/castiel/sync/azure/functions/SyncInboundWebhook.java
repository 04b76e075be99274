package com.castiel.sync.azure.functions;

import com.castiel.sync.port.QueueSpec;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import java.util.function.Supplier;

/** Runs webhook-driven sync jobs from {@code sync-inbound-webhook} (raw or in an Event Grid envelope). */
public final class SyncInboundWebhook {

    private final Supplier<FunctionsRuntime> runtime;

    public SyncInboundWebhook() {
        this(FunctionsRuntime::shared);
    }

    SyncInboundWebhook(Supplier<FunctionsRuntime> runtime) {
        this.runtime = runtime;
    }

    @FunctionName("SyncInboundWebhook")
    public void run(
            @ServiceBusQueueTrigger(name = "message", queueName = "sync-inbound-webhook", connection = "SERVICEBUS_SYNC_CONNECTION") String message,
            @BindingName("MessageId") String messageId,
            @BindingName("SequenceNumber") Long sequenceNumber,
            @BindingName("DeliveryCount") Integer deliveryCount,
            @BindingName("CorrelationId") String correlationId,
            @BindingName("LockToken") String lockToken,
            @BindingName("EnqueuedTimeUtc") String enqueuedTimeUtc,
            @BindingName("ExpiresAtUtc") String expiresAtUtc,
            @BindingName("ApplicationProperties") String applicationProperties,
            ExecutionContext context) {
        ServiceBusTrigger.inbound(runtime.get(), QueueSpec.INBOUND_WEBHOOK, new TriggerMessage(message, messageId, sequenceNumber, deliveryCount,
                null, correlationId, lockToken, enqueuedTimeUtc, expiresAtUtc, applicationProperties), context.getLogger());
    }
}
