package com.castiel.sync.ratelimit;

import com.castiel.sync.http.RequestPermits;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.spi.SyncException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/** The buckets and pause state of one rate-limit key. Thread-safe. */
final class KeyPermits implements RequestPermits {

    private final RateLimitKey key;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;
    private final QuotaSlowdown slowdownPolicy;
    private final ClockTimeMeter time;
    private final BlockingStrategy waitOnSleeper;
    private final Bucket bucket;
    private final Timer waits;
    private final Counter refusals;
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);
    private volatile ProviderLimits limits;
    private volatile Slowdown slowdown;

    /** The extra, slower bucket in force while a quota is nearly used up. */
    private record Slowdown(double factor, Bucket bucket) {
    }

    KeyPermits(RateLimitKey key, ProviderLimits limits, Clock clock, Sleeper sleeper, MeterRegistry meters, Duration maxWait,
               QuotaSlowdown slowdownPolicy) {
        this.key = key;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxWait = maxWait;
        this.slowdownPolicy = slowdownPolicy;
        this.time = new ClockTimeMeter(clock);
        this.waitOnSleeper = nanos -> sleeper.sleep(Duration.ofNanos(nanos));
        this.limits = limits;
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(time);
        bandwidths(limits).forEach(builder::addLimit);
        this.bucket = builder.build();
        this.waits = Timer.builder("sync_rate_limit_wait").description("time spent waiting for a provider rate-limit permit")
                .tag("provider", key.provider()).register(meters);
        this.refusals = Counter.builder("sync_rate_limit_refusals").description("rate-limit acquires refused at the deadline")
                .tag("provider", key.provider()).register(meters);
    }

    synchronized void reconfigure(ProviderLimits next) {
        if (!next.equals(limits)) {
            bucket.replaceConfiguration(new BucketConfiguration(bandwidths(next)), TokensInheritanceStrategy.AS_IS);
            limits = next;
            Slowdown current = slowdown;
            if (current != null) {
                slowdown = slowdownBucket(current.factor());
            }
        }
    }

    @Override
    public void acquire() {
        Instant start = clock.instant();
        long deadline = ClockTimeMeter.nanos(start) + maxWait.toNanos();
        try {
            awaitPause(deadline);
            Slowdown s = slowdown;
            if (s != null) {
                consume(s.bucket(), deadline, "its quota is nearly used up");
            }
            consume(bucket, deadline, "its request limits are reached");
            awaitPause(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException.RateLimited("interrupted while waiting for a rate-limit permit for " + key, null, details());
        }
        waits.record(Duration.between(start, clock.instant()));
    }

    @Override
    public void pause(Duration pause) {
        if (pause == null || pause.isNegative() || pause.isZero()) {
            return;
        }
        Instant until = clock.instant().plus(pause);
        pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public void reportUsage(long used, long limit) {
        if (limit <= 0 || used < 0) {
            return;
        }
        double factor = quantize(slowdownPolicy.factor((double) used / limit));
        Slowdown current = slowdown;
        double currentFactor = current == null ? 1.0 : current.factor();
        if (factor != currentFactor) {
            synchronized (this) {
                slowdown = factor >= 1.0 ? null : slowdownBucket(factor);
            }
        }
    }

    private void awaitPause(long deadline) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            Instant until = pausedUntil.get();
            if (!until.isAfter(now)) {
                return;
            }
            Duration needed = Duration.between(now, until);
            if (ClockTimeMeter.nanos(until) > deadline) {
                throw refuse(needed, "the provider asked for a pause");
            }
            sleeper.sleep(needed);
        }
    }

    private void consume(Bucket b, long deadline, String reason) throws InterruptedException {
        long budget = Math.max(0, deadline - time.currentTimeNanos());
        if (!b.asBlocking().tryConsume(1, budget, waitOnSleeper)) {
            long needed = b.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            throw refuse(Duration.ofNanos(needed), reason);
        }
    }

    private SyncException.RateLimited refuse(Duration needed, String reason) {
        refusals.increment();
        return new SyncException.RateLimited(String.format(Locale.ROOT,
                "rate limit for %s: %s; a permit needs %.1f s, more than the %d s an acquire may wait", key, reason,
                needed.toMillis() / 1000.0, maxWait.toSeconds()), needed, details());
    }

    private SyncException.Details details() {
        return SyncException.Details.of(key.provider(), 0, null);
    }

    private Slowdown slowdownBucket(double factor) {
        double rate = limits.burstRatePerSecond() * factor;
        long intervalNanos = Math.max(1, (long) (1e9 / rate));
        Bucket slow = Bucket.builder().withCustomTimePrecision(time)
                .addLimit(l -> l.capacity(1).refillGreedy(1, Duration.ofNanos(intervalNanos)))
                .build();
        return new Slowdown(factor, slow);
    }

    /** Whole percent steps, so a stream of usage reports rebuilds the slow bucket rarely. */
    private static double quantize(double factor) {
        return Math.min(1.0, Math.max(0.01, Math.round(factor * 100) / 100.0));
    }

    private static List<Bandwidth> bandwidths(ProviderLimits limits) {
        return limits.allowances().stream().map(KeyPermits::bandwidth).toList();
    }

    /**
     * Minute and day allowances may be spent in bursts. Per-second allowances are paced instead:
     * a full bucket of N refilling N per second lets 2N calls through in one sliding second,
     * which a provider counting "N in any second" refuses. Permits come one at a time, N per
     * period stretched by 2 % so that network jitter bunching two calls together does not make
     * an N+1st; that costs 2 % of the allowance.
     */
    /** Above this many a second, pacing one at a time buys nothing a provider would notice. */
    private static final long MAX_PACED_PER_SECOND = 10_000;

    static Bandwidth bandwidth(RequestAllowance a) {
        String id = "per-" + a.period().toSeconds() + "s";
        if (a.period().compareTo(Duration.ofSeconds(1)) > 0 || a.requests() > MAX_PACED_PER_SECOND) {
            return Bandwidth.builder().capacity(a.requests()).refillGreedy(a.requests(), a.period()).id(id).build();
        }
        Duration paced = a.period().plus(a.period().dividedBy(50));
        return Bandwidth.builder().capacity(1).refillGreedy(a.requests(), paced).id(id).build();
    }
}
