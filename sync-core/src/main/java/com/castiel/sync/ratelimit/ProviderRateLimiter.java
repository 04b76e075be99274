package com.castiel.sync.ratelimit;

import com.castiel.sync.http.RequestPermits;
import com.castiel.sync.port.Sleeper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The host's rate limiter: token buckets (bucket4j) per {@link RateLimitKey}, running on the
 * injected clock and waiting through the injected sleeper, so tests never sleep.
 *
 * <p>For each key it enforces the provider's {@link ProviderLimits}, pauses the key when the
 * provider asks ({@code Retry-After}), and slows the key down as a reported quota fills up
 * ({@link QuotaSlowdown}). {@code acquire} blocks the calling virtual thread up to
 * {@code maxWait}; a wait that would last longer fails at once with
 * {@link com.castiel.sync.spi.SyncException.RateLimited} carrying the wait that would have been
 * needed, so the engine can reschedule the job instead of holding a worker.
 *
 * <p>Metrics: timer {@code sync_rate_limit_wait} (time spent waiting per acquire, tag
 * {@code provider}) and counter {@code sync_rate_limit_refusals} (acquires refused at the
 * deadline, tag {@code provider}).
 *
 * <p>Thread-safe; one instance per host. State lives in memory: several hosts (Functions
 * instances) each apply the limits on their own.
 */
public final class ProviderRateLimiter {

    /** The longest an acquire waits by default. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);

    private final Clock clock;
    private final Sleeper sleeper;
    private final MeterRegistry meters;
    private final Duration maxWait;
    private final QuotaSlowdown slowdown;
    private final ConcurrentMap<RateLimitKey, KeyPermits> keys = new ConcurrentHashMap<>();

    public ProviderRateLimiter(Clock clock, Sleeper sleeper, MeterRegistry meters, Duration maxWait, QuotaSlowdown slowdown) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.slowdown = Objects.requireNonNull(slowdown, "slowdown");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
    }

    /** With a 60 s acquire deadline and the default quota slow-down. */
    public ProviderRateLimiter(Clock clock, Sleeper sleeper, MeterRegistry meters) {
        this(clock, sleeper, meters, DEFAULT_MAX_WAIT, QuotaSlowdown.DEFAULT);
    }

    /**
     * The permits of a key. The first caller's limits create the key's buckets; a later caller
     * with different limits (an integration whose override changed) reconfigures them, keeping
     * the tokens already used.
     */
    public RequestPermits permits(RateLimitKey key, ProviderLimits limits) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limits, "limits");
        KeyPermits permits = keys.computeIfAbsent(key, k -> new KeyPermits(k, limits, clock, sleeper, meters, maxWait, slowdown));
        permits.reconfigure(limits);
        return permits;
    }

    /** The permits of {@code key} with its provider's default limits. */
    public RequestPermits permits(RateLimitKey key) {
        return permits(key, ProviderLimitDefaults.forProvider(key.provider()));
    }
}
