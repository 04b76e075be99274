package com.castiel.sync.port;

import java.time.Instant;
import java.util.Map;

/**
 * A message in a queue's dead-letter sub-queue.
 *
 * @param queue the work queue it came from
 * @param messageId original message id
 * @param sequenceNumber its sequence number in the dead-letter queue
 * @param sessionId original session id
 * @param body payload
 * @param correlationId correlation id
 * @param reason dead-letter reason ({@code MaxDeliveryCountExceeded}, {@code TTLExpiredException},
 *     or the engine's error code)
 * @param description human-readable description (last error, attempt count)
 * @param deliveryCount deliveries before it was dead-lettered
 * @param deadLetteredAt when
 * @param properties application properties
 */
public record DeadLetter(
        String queue,
        String messageId,
        long sequenceNumber,
        String sessionId,
        byte[] body,
        String correlationId,
        String reason,
        String description,
        int deliveryCount,
        Instant deadLetteredAt,
        Map<String, String> properties) {

    public DeadLetter {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
