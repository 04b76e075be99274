package com.castiel.sync.port;

import java.time.Instant;
import java.util.Map;

/**
 * A message received in peek-lock mode. It stays invisible to other receivers until
 * {@code lockedUntil}; it must then be settled (complete, abandon, dead-letter) or its lock
 * renewed, otherwise it becomes visible again with its delivery count kept.
 *
 * @param queue queue name
 * @param messageId message id
 * @param sequenceNumber broker-assigned, increasing in enqueue order
 * @param sessionId session, or {@code null}
 * @param body payload
 * @param correlationId correlation id
 * @param deliveryCount 1 on the first delivery
 * @param enqueuedAt when it was enqueued (became visible)
 * @param expiresAt when its TTL runs out
 * @param lockToken opaque token identifying this lock; settling with an expired token fails
 * @param lockedUntil lock expiry
 * @param properties application properties
 */
public record LockedMessage(
        String queue,
        String messageId,
        long sequenceNumber,
        String sessionId,
        byte[] body,
        String correlationId,
        int deliveryCount,
        Instant enqueuedAt,
        Instant expiresAt,
        String lockToken,
        Instant lockedUntil,
        Map<String, String> properties) {

    public LockedMessage {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
