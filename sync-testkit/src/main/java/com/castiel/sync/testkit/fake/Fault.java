package com.castiel.sync.testkit.fake;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure a fake server injects instead of (or while) answering a request. Scripted through a
 * {@link FaultPlan}; rendered by {@link FakeProviderServer}, whose subclasses may shape the
 * error bodies like their vendor does ({@link FakeProviderServer#renderFault}).
 */
public sealed interface Fault {

    /** The longest {@link SlowBody} a fake will dribble, so every slow test stays bounded. */
    Duration MAX_SLOW_BODY = Duration.ofSeconds(10);

    /** Short stable name, as recorded in {@link JournalEntry#fault()}. */
    String name();

    /** HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    record RateLimited(int retryAfterSeconds) implements Fault {
        public RateLimited {
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must not be negative");
            }
        }

        @Override
        public String name() {
            return "rate_limited";
        }
    }

    /** HTTP 503, with {@code Retry-After} when {@code retryAfterSeconds} is positive. */
    record ServiceUnavailable(int retryAfterSeconds) implements Fault {
        @Override
        public String name() {
            return "service_unavailable";
        }
    }

    /**
     * The connection is dropped part-way through a response (headers promise more bytes than are
     * sent), so the client sees an I/O error rather than any status.
     */
    record ConnectionReset() implements Fault {
        @Override
        public String name() {
            return "connection_reset";
        }
    }

    /**
     * The route's real response, but its body is written in small pieces spread over
     * {@code duration} (at most {@link #MAX_SLOW_BODY}): exercises clients that read bodies
     * incrementally and their timeouts.
     */
    record SlowBody(Duration duration) implements Fault {
        public SlowBody {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.compareTo(MAX_SLOW_BODY) > 0) {
                throw new IllegalArgumentException("slow body duration must be between 0 and " + MAX_SLOW_BODY);
            }
        }

        @Override
        public String name() {
            return "slow_body";
        }
    }

    /** HTTP 401 as the server answers an expired access token. */
    record ExpiredToken() implements Fault {
        @Override
        public String name() {
            return "expired_token";
        }
    }

    /** HTTP 200 with a JSON content type and a truncated, unparseable JSON body. */
    record MalformedJson() implements Fault {
        @Override
        public String name() {
            return "malformed_json";
        }
    }

    static Fault rateLimited(int retryAfterSeconds) {
        return new RateLimited(retryAfterSeconds);
    }

    static Fault serviceUnavailable() {
        return new ServiceUnavailable(0);
    }

    static Fault serviceUnavailable(int retryAfterSeconds) {
        return new ServiceUnavailable(retryAfterSeconds);
    }

    static Fault connectionReset() {
        return new ConnectionReset();
    }

    static Fault slowBody(Duration duration) {
        return new SlowBody(duration);
    }

    static Fault expiredToken() {
        return new ExpiredToken();
    }

    static Fault malformedJson() {
        return new MalformedJson();
    }
}
