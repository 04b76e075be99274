package com.castiel.sync.port;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A queue's settings, with the seed's {@code QUEUE_CONFIG} as constants. Backends create or
 * check their queues from these; the Bicep template is tested against them.
 *
 * @param name queue name
 * @param maxDeliveryCount deliveries after which a message is dead-lettered
 * @param lockDuration peek-lock duration
 * @param defaultTimeToLive message TTL
 * @param requiresSession whether messages carry a session id and are delivered in order per session
 * @param deadLetteringOnMessageExpiration whether expired messages go to the dead-letter queue
 * @param duplicateDetectionWindow window in which a repeated message id is dropped. One hour,
 *     longer than every lock duration: a retry message re-sent after a crash (when the lock
 *     expires and the original is redelivered) must still fall inside the window to be dropped.
 */
public record QueueSpec(
        String name,
        int maxDeliveryCount,
        Duration lockDuration,
        Duration defaultTimeToLive,
        boolean requiresSession,
        boolean deadLetteringOnMessageExpiration,
        Duration duplicateDetectionWindow) {

    /** Real-time webhook events. */
    public static final QueueSpec INBOUND_WEBHOOK = new QueueSpec("sync-inbound-webhook", 5,
            Duration.ofMinutes(5), Duration.ofDays(7), false, true, Duration.ofHours(1));

    /** Scheduled full and incremental syncs. */
    public static final QueueSpec INBOUND_SCHEDULED = new QueueSpec("sync-inbound-scheduled", 10,
            Duration.ofMinutes(10), Duration.ofDays(14), false, true, Duration.ofHours(1));

    /** Write-back, one session per integration. */
    public static final QueueSpec OUTBOUND = new QueueSpec("sync-outbound", 10,
            Duration.ofMinutes(5), Duration.ofDays(7), true, true, Duration.ofHours(1));

    /** The three work queues; dead letters live in each queue's dead-letter sub-queue. */
    public static final List<QueueSpec> ALL = List.of(INBOUND_WEBHOOK, INBOUND_SCHEDULED, OUTBOUND);

    public QueueSpec {
        Objects.requireNonNull(name, "name");
        if (maxDeliveryCount < 1) {
            throw new IllegalArgumentException("maxDeliveryCount must be at least 1");
        }
        Objects.requireNonNull(lockDuration, "lockDuration");
        Objects.requireNonNull(defaultTimeToLive, "defaultTimeToLive");
        Objects.requireNonNull(duplicateDetectionWindow, "duplicateDetectionWindow");
    }

    /** The spec of a work queue by name. */
    public static QueueSpec named(String name) {
        return ALL.stream().filter(q -> q.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown queue '" + name + "'"));
    }
}
