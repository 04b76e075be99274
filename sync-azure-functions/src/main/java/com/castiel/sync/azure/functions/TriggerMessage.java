package com.castiel.sync.azure.functions;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.LockedMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Functions host hands a Service Bus trigger: the body and the message's metadata
 * ({@code MessageId}, {@code DeliveryCount}, {@code SessionId}... bound by name), turned into the
 * engine's {@link LockedMessage}. Missing metadata is tolerated (a hand-written message in a test
 * or a portal "send"): ids are derived and times come from the clock.
 *
 * @param body message body as text
 * @param messageId {@code MessageId}
 * @param sequenceNumber {@code SequenceNumber}
 * @param deliveryCount {@code DeliveryCount}
 * @param sessionId {@code SessionId}, {@code null} outside session queues
 * @param correlationId {@code CorrelationId}
 * @param lockToken {@code LockToken}
 * @param enqueuedTimeUtc {@code EnqueuedTimeUtc} as the host formats it
 * @param expiresAtUtc {@code ExpiresAtUtc}
 * @param applicationProperties {@code ApplicationProperties} as JSON
 */
public record TriggerMessage(String body, String messageId, Long sequenceNumber, Integer deliveryCount, String sessionId,
                             String correlationId, String lockToken, String enqueuedTimeUtc, String expiresAtUtc,
                             String applicationProperties) {

    /** The engine's view of the message on {@code queue}: the job body unwrapped from any Event Grid envelope. */
    public LockedMessage toLocked(String queue, Clock clock) {
        byte[] raw = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        byte[] job = JobBodies.unwrap(raw);
        Instant now = clock.instant();
        String id = messageId != null && !messageId.isBlank() ? messageId
                : java.util.UUID.nameUUIDFromBytes(raw).toString();
        String token = lockToken != null && !lockToken.isBlank() ? lockToken : "trigger-" + id + "-" + (deliveryCount == null ? 1 : deliveryCount);
        Instant enqueued = instant(enqueuedTimeUtc, now);
        return new LockedMessage(queue, id, sequenceNumber == null ? 0 : sequenceNumber, blankToNull(sessionId), job,
                blankToNull(correlationId), deliveryCount == null ? 1 : deliveryCount, enqueued, instant(expiresAtUtc, null), token,
                now.plus(com.castiel.sync.port.QueueSpec.named(queue).lockDuration()), properties(applicationProperties));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Instant instant(String text, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.trim();
        if (t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(t.endsWith("Z") ? t : t + "Z");
            } catch (DateTimeParseException again) {
                return fallback;
            }
        }
    }

    private static Map<String, String> properties(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = SyncJson.tree(json);
        } catch (IllegalArgumentException e) {
            return out;
        }
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }
}
