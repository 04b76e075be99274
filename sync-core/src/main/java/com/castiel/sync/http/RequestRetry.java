package com.castiel.sync.http;

import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an exchange that failed transiently, within a {@link RequestRetryPolicy}: a bounded
 * number of attempts and a bounded total time, measured on the injected clock.
 *
 * <p>What is retried: {@link SyncException.RateLimited} and {@link SyncException.Transient}
 * {@code SERVICE_UNAVAILABLE} for every method (the provider refused before doing the work);
 * {@code TIMEOUT} and {@code CONNECTION_RESET} only for idempotent methods (GET, HEAD, OPTIONS,
 * PUT, DELETE), since a POST or PATCH may have been applied before the connection broke. Nothing
 * else. The wait is the provider's {@code Retry-After} when the failure carries one, otherwise an
 * exponential backoff with equal jitter (half fixed, half random). A wait that would end past the
 * total time is not started: the failure goes to the engine, which retries the job later.
 *
 * <p>Thread-safe. The first interceptor of an API chain, so each retry acquires a fresh rate-limit
 * permit and a current token.
 */
public final class RequestRetry implements HttpInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRetry.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

    private final RequestRetryPolicy policy;
    private final Clock clock;
    private final Pause pause;
    private final DoubleSupplier jitter;

    /**
     * @param jitter a source of values in [0, 1), used to spread backoffs of concurrent callers
     */
    public RequestRetry(RequestRetryPolicy policy, Clock clock, Pause pause, DoubleSupplier jitter) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /** With jitter from {@link ThreadLocalRandom}. */
    public RequestRetry(RequestRetryPolicy policy, Clock clock, Pause pause) {
        this(policy, clock, pause, () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public HttpReply intercept(HttpCall call, Chain chain) {
        Instant start = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                return chain.proceed(call);
            } catch (SyncException failure) {
                Optional<Duration> wait = waitBeforeRetry(call, failure, attempt);
                if (wait.isEmpty() || attempt >= policy.maxAttempts()) {
                    throw failure;
                }
                Duration elapsed = Duration.between(start, clock.instant());
                if (elapsed.plus(wait.get()).compareTo(policy.maxTotalTime()) > 0) {
                    throw failure;
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} failed with {} (attempt {}/{}); retrying in {} ms", call.describe(), failure.code(),
                            attempt, policy.maxAttempts(), wait.get().toMillis());
                }
                try {
                    pause.pause(wait.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    private Optional<Duration> waitBeforeRetry(HttpCall call, SyncException failure, int attempt) {
        if (failure instanceof SyncException.RateLimited limited) {
            return Optional.of(limited.retryAfter().orElseGet(() -> backoff(attempt)));
        }
        if (failure instanceof SyncException.Transient t) {
            boolean maybeApplied = t.code() == ErrorCode.TIMEOUT || t.code() == ErrorCode.CONNECTION_RESET;
            if (maybeApplied && !IDEMPOTENT.contains(call.method().toUpperCase(Locale.ROOT))) {
                return Optional.empty();
            }
            return Optional.of(t.retryAfter().orElseGet(() -> backoff(attempt)));
        }
        return Optional.empty();
    }

    private Duration backoff(int attempt) {
        long full = policy.backoff(attempt).toMillis();
        double j = Math.min(1.0, Math.max(0.0, jitter.getAsDouble()));
        return Duration.ofMillis(full / 2 + (long) (full / 2.0 * j));
    }
}
