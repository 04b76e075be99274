package com.castiel.sync.azure.servicebus;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;

/** Service Bus failures in the engine's terms: which ones a retry can fix, which need an operator. */
final class ServiceBusFailures {

    private ServiceBusFailures() {
    }

    static RuntimeException translate(String operation, ServiceBusException e) {
        ServiceBusFailureReason reason = e.getReason();
        SyncException.Details details = SyncException.Details.of("servicebus", 0, reason == null ? null : reason.toString());
        String message = "Service Bus " + operation + " failed: " + reason;
        if (ServiceBusFailureReason.MESSAGE_LOCK_LOST.equals(reason) || ServiceBusFailureReason.SESSION_LOCK_LOST.equals(reason)) {
            return new MessageLockLostException(message);
        }
        if (ServiceBusFailureReason.SERVICE_BUSY.equals(reason)) {
            return new SyncException.RateLimited(message, null, details);
        }
        if (ServiceBusFailureReason.SERVICE_TIMEOUT.equals(reason)) {
            return new SyncException.Transient(ErrorCode.TIMEOUT, message, null, details, e);
        }
        if (ServiceBusFailureReason.UNAUTHORIZED.equals(reason) || ServiceBusFailureReason.MESSAGING_ENTITY_NOT_FOUND.equals(reason)
                || ServiceBusFailureReason.MESSAGING_ENTITY_DISABLED.equals(reason)) {
            return new SyncException.Configuration(message + ": check SERVICEBUS_SYNC_CONNECTION or the identity's Service Bus"
                    + " roles, and that the queues from infra/main.bicep exist", details);
        }
        if (e.isTransient() || ServiceBusFailureReason.SERVICE_COMMUNICATION_ERROR.equals(reason)
                || ServiceBusFailureReason.QUOTA_EXCEEDED.equals(reason)) {
            return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, null, details, e);
        }
        return e;
    }
}
