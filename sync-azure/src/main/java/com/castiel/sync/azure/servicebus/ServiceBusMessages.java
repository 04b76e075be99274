package com.castiel.sync.azure.servicebus;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Maps the engine's queue messages to Service Bus messages and back. Plain functions; the
 * session rule of the queue ({@link QueueSpec#requiresSession()}) is enforced on the way out so a
 * write-back can never be sent without its integration's session.
 */
public final class ServiceBusMessages {

    /** Content type of every job body. */
    public static final String CONTENT_TYPE = "application/json";
    /** Service Bus's limit for message ids, session ids and correlation ids. */
    static final int MAX_ID_LENGTH = 128;

    private ServiceBusMessages() {
    }

    /**
     * The Service Bus message for {@code message} on {@code queue}: message id (duplicate
     * detection), session id, correlation id, scheduled enqueue time (backoff), time to live and
     * application properties.
     *
     * @throws IllegalArgumentException when a session queue gets no session id, another queue gets
     *     one, or an id is longer than Service Bus allows
     */
    public static ServiceBusMessage toServiceBus(QueueSpec queue, OutgoingMessage message) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(message, "message");
        if (queue.requiresSession() && (message.sessionId() == null || message.sessionId().isEmpty())) {
            throw new IllegalArgumentException("queue " + queue.name() + " requires a session id (the integration id); message "
                    + message.messageId() + " has none");
        }
        if (!queue.requiresSession() && message.sessionId() != null) {
            throw new IllegalArgumentException("queue " + queue.name() + " has no sessions; message " + message.messageId()
                    + " must not carry session id " + message.sessionId());
        }
        requireLength("messageId", message.messageId());
        requireLength("sessionId", message.sessionId());
        requireLength("correlationId", message.correlationId());
        ServiceBusMessage out = new ServiceBusMessage(BinaryData.fromBytes(message.body()))
                .setMessageId(message.messageId())
                .setContentType(CONTENT_TYPE);
        if (message.sessionId() != null) {
            out.setSessionId(message.sessionId());
        }
        if (message.correlationId() != null) {
            out.setCorrelationId(message.correlationId());
        }
        if (message.scheduledEnqueueTime() != null) {
            out.setScheduledEnqueueTime(message.scheduledEnqueueTime().atOffset(ZoneOffset.UTC));
        }
        if (message.timeToLive() != null) {
            out.setTimeToLive(message.timeToLive());
        }
        out.getApplicationProperties().putAll(message.properties());
        return out;
    }

    /** The engine's view of a received message of {@code queue}. */
    public static LockedMessage toLocked(String queue, ServiceBusReceivedMessage m) {
        return new LockedMessage(queue, m.getMessageId(), m.getSequenceNumber(), m.getSessionId(), body(m), m.getCorrelationId(),
                (int) m.getDeliveryCount(), instant(m.getEnqueuedTime()), instant(m.getExpiresAt()), m.getLockToken(),
                instant(m.getLockedUntil()), properties(m.getApplicationProperties()));
    }

    /**
     * The engine's view of a message of a dead-letter sub-queue. A message dead-lettered through
     * a {@link DeadLetterHandOff} reports the reason and description the engine gave it, not the
     * broker's {@code MaxDeliveryCountExceeded}.
     */
    public static DeadLetter toDeadLetter(String queue, ServiceBusReceivedMessage m) {
        Map<String, String> properties = properties(m.getApplicationProperties());
        String reason = properties.getOrDefault(DeadLetterHandOff.REASON_PROPERTY, m.getDeadLetterReason());
        String description = properties.getOrDefault(DeadLetterHandOff.DESCRIPTION_PROPERTY, m.getDeadLetterErrorDescription());
        return new DeadLetter(queue, m.getMessageId(), m.getSequenceNumber(), m.getSessionId(), body(m), m.getCorrelationId(),
                reason, description, (int) m.getDeliveryCount(), instant(m.getEnqueuedTime()), properties);
    }

    static byte[] body(ServiceBusReceivedMessage m) {
        BinaryData body = m.getBody();
        return body == null ? new byte[0] : body.toBytes();
    }

    static Map<String, String> properties(Map<String, Object> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, String.valueOf(v));
                }
            });
        }
        return out;
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static void requireLength(String field, String value) {
        if (value != null && value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(field + " is " + value.length() + " characters; Service Bus allows " + MAX_ID_LENGTH);
        }
    }
}
