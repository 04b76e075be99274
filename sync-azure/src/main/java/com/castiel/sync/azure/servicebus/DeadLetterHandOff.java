package com.castiel.sync.azure.servicebus;

import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a host that cannot settle its trigger message (Azure Functions for Java completes on return
 * and abandons on exception, and cannot dead-letter) still dead-letters a job with the engine's
 * reason and description: it sends a copy marked with {@link #REASON_PROPERTY} and
 * {@link #DESCRIPTION_PROPERTY} to the same queue and session and lets the trigger message
 * complete. A host receiving a marked copy refuses it every time, so the broker dead-letters it
 * after the queue's {@code maxDeliveryCount}; {@link ServiceBusMessages#toDeadLetter} then reports
 * the marked reason and description instead of {@code MaxDeliveryCountExceeded}.
 */
public final class DeadLetterHandOff {

    public static final String REASON_PROPERTY = "castielDeadLetterReason";
    public static final String DESCRIPTION_PROPERTY = "castielDeadLetterDescription";
    /** Service Bus's bound for dead-letter reason and description; application properties share it here. */
    static final int MAX_TEXT = 4096;

    private DeadLetterHandOff() {
    }

    /** Whether a received message is a hand-off copy waiting for the broker to dead-letter it. */
    public static boolean isHandOff(Map<String, String> properties) {
        return properties.containsKey(REASON_PROPERTY);
    }

    /**
     * The marked copy of {@code received}: same body, session and correlation id; a message id
     * derived from the original so a redelivered trigger hands off the same copy (duplicate
     * detection drops the second).
     */
    public static OutgoingMessage copyOf(LockedMessage received, String reason, String description) {
        Map<String, String> properties = new LinkedHashMap<>(received.properties());
        properties.put(REASON_PROPERTY, bounded(reason));
        properties.put(DESCRIPTION_PROPERTY, bounded(description == null ? "" : description));
        String id = java.util.UUID.nameUUIDFromBytes(("dead-letter|" + received.messageId())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return new OutgoingMessage(id, received.sessionId(), received.body(), received.correlationId(), null, null, properties);
    }

    static String bounded(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
