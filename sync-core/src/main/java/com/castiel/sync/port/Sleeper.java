package com.castiel.sync.port;

import java.time.Duration;

/**
 * Waits. Injected next to the {@link java.time.Clock} so backoff and rate-limit waits are
 * instantaneous in tests.
 */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
