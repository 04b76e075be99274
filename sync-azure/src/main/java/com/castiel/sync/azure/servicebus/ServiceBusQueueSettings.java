package com.castiel.sync.azure.servicebus;

import com.castiel.sync.port.QueueSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * A work queue as Service Bus is configured for it ({@code infra/main.bicep} declares exactly
 * these, and a test holds the two together). Everything comes from the seed's {@link QueueSpec}
 * except one bound Service Bus imposes: a peek-lock lasts at most {@link #MAX_LOCK_DURATION}. The
 * seed's 10-minute lock on {@code sync-inbound-scheduled} is therefore 5 minutes on the broker,
 * and the holder renews it (the Functions host up to {@code maxAutoLockRenewalDuration}, the
 * engine's inbound worker every half lock), which keeps a long sync locked as the seed intends.
 *
 * @param name queue name
 * @param maxDeliveryCount deliveries before the broker dead-letters
 * @param lockDuration broker lock duration
 * @param defaultMessageTimeToLive message TTL
 * @param requiresSession sessions (ordering per integration)
 * @param deadLetteringOnMessageExpiration expired messages go to the dead-letter queue
 * @param duplicateDetectionHistoryTimeWindow duplicate detection window (detection is always on)
 */
public record ServiceBusQueueSettings(String name, int maxDeliveryCount, Duration lockDuration, Duration defaultMessageTimeToLive,
                                      boolean requiresSession, boolean deadLetteringOnMessageExpiration,
                                      Duration duplicateDetectionHistoryTimeWindow) {

    /** Service Bus's upper bound for a queue's lock duration. */
    public static final Duration MAX_LOCK_DURATION = Duration.ofMinutes(5);

    /** The Service Bus settings of a work queue. */
    public static ServiceBusQueueSettings of(QueueSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Duration lock = spec.lockDuration().compareTo(MAX_LOCK_DURATION) > 0 ? MAX_LOCK_DURATION : spec.lockDuration();
        return new ServiceBusQueueSettings(spec.name(), spec.maxDeliveryCount(), lock, spec.defaultTimeToLive(), spec.requiresSession(),
                spec.deadLetteringOnMessageExpiration(), spec.duplicateDetectionWindow());
    }
}
