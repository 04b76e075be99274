package com.castiel.sync.azure.servicebus;

import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.mock;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Mocked {@link ServiceBusReceivedMessage}s (final, package-private constructor in the SDK). */
final class ReceivedMessages {

    static final OffsetDateTime ENQUEUED = OffsetDateTime.of(2025, 1, 15, 10, 0, 0, 0, ZoneOffset.UTC);

    private ReceivedMessages() {
    }

    static ServiceBusReceivedMessage message(String id, long sequence, String sessionId, String body, Map<String, Object> properties) {
        ServiceBusReceivedMessage m = mock(ServiceBusReceivedMessage.class);
        lenient().when(m.getMessageId()).thenReturn(id);
        lenient().when(m.getSequenceNumber()).thenReturn(sequence);
        lenient().when(m.getSessionId()).thenReturn(sessionId);
        lenient().when(m.getBody()).thenReturn(BinaryData.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
        lenient().when(m.getCorrelationId()).thenReturn("corr-" + id);
        lenient().when(m.getDeliveryCount()).thenReturn(2L);
        lenient().when(m.getEnqueuedTime()).thenReturn(ENQUEUED);
        lenient().when(m.getExpiresAt()).thenReturn(ENQUEUED.plusDays(7));
        lenient().when(m.getLockToken()).thenReturn("lock-" + id);
        lenient().when(m.getLockedUntil()).thenReturn(ENQUEUED.plusMinutes(5));
        lenient().when(m.getApplicationProperties()).thenReturn(new HashMap<>(properties));
        return m;
    }

    static ServiceBusReceivedMessage message(String id, long sequence) {
        return message(id, sequence, null, "{\"n\":" + sequence + "}", Map.of("tenantId", "tenant-a"));
    }
}
