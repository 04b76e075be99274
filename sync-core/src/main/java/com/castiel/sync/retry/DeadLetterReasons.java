package com.castiel.sync.retry;

import com.castiel.sync.spi.ErrorCode;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Dead-letter reasons. The engine dead-letters with an {@link ErrorCode} name or one of the two
 * engine reasons below; the broker (Service Bus or the embedded queue) uses its own two. The
 * split tells {@link DeadLetterReview} which dead letters the engine already announced when it
 * made them.
 */
public final class DeadLetterReasons {

    /** A failure that is not a {@link com.castiel.sync.spi.SyncException} (a bug or an outage of our own storage). */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    /** The body could not be decoded as a job; retrying cannot help. */
    public static final String MESSAGE_UNREADABLE = "MESSAGE_UNREADABLE";

    /** Broker reason: delivered {@code maxDeliveryCount} times without being settled (crash loops). */
    public static final String MAX_DELIVERY_COUNT_EXCEEDED = "MaxDeliveryCountExceeded";

    /** Broker reason: the message's time to live ran out. */
    public static final String TTL_EXPIRED = "TTLExpiredException";

    private static final Set<String> ENGINE = Stream.concat(
                    Stream.of(ErrorCode.values()).map(ErrorCode::name),
                    Stream.of(INTERNAL_ERROR, MESSAGE_UNREADABLE))
            .collect(Collectors.toUnmodifiableSet());

    private DeadLetterReasons() {
    }

    /** Whether {@code reason} is one the engine's {@link JobSettlement} writes (and announces itself). */
    public static boolean isEngineReason(String reason) {
        return reason != null && ENGINE.contains(reason);
    }
}
