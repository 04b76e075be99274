package com.castiel.sync.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message to send.
 *
 * @param messageId id used for duplicate detection; a second message with the same id inside
 *     the queue's detection window is silently dropped
 * @param sessionId session for session queues (required there, forbidden elsewhere)
 * @param body payload (JSON)
 * @param correlationId correlation id
 * @param scheduledEnqueueTime when it becomes visible; {@code null} for now
 * @param timeToLive TTL; {@code null} for the queue default
 * @param properties application properties (strings only)
 */
public record OutgoingMessage(
        String messageId,
        String sessionId,
        byte[] body,
        String correlationId,
        Instant scheduledEnqueueTime,
        Duration timeToLive,
        Map<String, String> properties) {

    public OutgoingMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static OutgoingMessage of(String messageId, byte[] body) {
        return new OutgoingMessage(messageId, null, body, null, null, null, Map.of());
    }

    public OutgoingMessage withSession(String session) {
        return new OutgoingMessage(messageId, session, body, correlationId, scheduledEnqueueTime, timeToLive, properties);
    }

    public OutgoingMessage scheduledAt(Instant when) {
        return new OutgoingMessage(messageId, sessionId, body, correlationId, when, timeToLive, properties);
    }

    public OutgoingMessage withCorrelationId(String id) {
        return new OutgoingMessage(messageId, sessionId, body, id, scheduledEnqueueTime, timeToLive, properties);
    }

    public OutgoingMessage withTimeToLive(Duration ttl) {
        return new OutgoingMessage(messageId, sessionId, body, correlationId, scheduledEnqueueTime, ttl, properties);
    }
}
