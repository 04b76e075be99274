package com.castiel.sync.http;

import java.time.Duration;

/**
 * Permission to send requests under one provider rate-limit key (provider and tenant or org).
 * The host implements it with token buckets; the chain acquires one permit per exchange and
 * feeds back what the provider said about its limits.
 *
 * <p>Implementations are thread-safe; {@link #acquire()} blocks the calling (virtual) thread.
 */
public interface RequestPermits {

    /** Permits that never wait, for tests and providers without limits. */
    RequestPermits UNLIMITED = new RequestPermits() {
        @Override
        public void acquire() {
        }

        @Override
        public void pause(Duration pause) {
        }

        @Override
        public void reportUsage(long used, long limit) {
        }
    };

    /**
     * Waits until one request may be sent under this key.
     *
     * @throws com.castiel.sync.spi.SyncException.RateLimited when the wait would exceed the
     *     host's deadline; {@code retryAfter} says how long the wait would have been
     */
    void acquire();

    /** The provider asked for a pause: no permit under this key is granted for {@code pause}. */
    void pause(Duration pause);

    /**
     * The provider reported its quota (Salesforce {@code Sforce-Limit-Info: api-usage=N/M}); the
     * host slows this key down as usage nears the limit.
     */
    void reportUsage(long used, long limit);
}
