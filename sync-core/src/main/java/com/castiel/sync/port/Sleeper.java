package com.castiel.sync.port;

import java.time.Duration;

/**
 * Waits. Injected next to the {@link java.time.Clock} so backoff and rate-limit waits are
 * instantaneous in tests. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps the calling (virtual) thread for real. */
    Sleeper SYSTEM = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d);
        }
    };

    /**
     * Blocks the calling thread for {@code duration}; a zero or negative duration returns at once.
     *
     * @param duration never {@code null}
     * @throws InterruptedException when the thread is interrupted; callers restore the flag and
     *     give up waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
