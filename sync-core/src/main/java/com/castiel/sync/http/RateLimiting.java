package com.castiel.sync.http;

import com.castiel.sync.spi.SyncException;
import java.time.Duration;
import java.util.Objects;

/**
 * Acquires a rate-limit permit before each exchange and feeds what the provider says back to the
 * limiter: a {@link SyncException.RateLimited} (or a {@code Transient} carrying
 * {@code Retry-After}) pauses the whole key, and a usage header ({@link ApiUsage}) lets the
 * limiter slow down before a daily quota runs out.
 *
 * <p>Only failures from further down the chain pause the key; the limiter's own refusal
 * (deadline exceeded) passes through unchanged. Thread-safe.
 */
public final class RateLimiting implements HttpInterceptor {

    /** The pause applied when the provider throttles without saying for how long. */
    public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

    private final RequestPermits permits;
    private final Duration defaultPause;

    public RateLimiting(RequestPermits permits, Duration defaultPause) {
        this.permits = Objects.requireNonNull(permits, "permits");
        this.defaultPause = Objects.requireNonNull(defaultPause, "defaultPause");
    }

    public RateLimiting(RequestPermits permits) {
        this(permits, DEFAULT_PAUSE);
    }

    @Override
    public HttpReply intercept(HttpCall call, Chain chain) {
        permits.acquire();
        HttpReply reply;
        try {
            reply = chain.proceed(call);
        } catch (SyncException.RateLimited limited) {
            permits.pause(limited.retryAfter().orElse(defaultPause));
            throw limited;
        } catch (SyncException.Transient t) {
            t.retryAfter().ifPresent(permits::pause);
            throw t;
        }
        ApiUsage.of(reply).ifPresent(u -> permits.reportUsage(u.used(), u.limit()));
        return reply;
    }
}
