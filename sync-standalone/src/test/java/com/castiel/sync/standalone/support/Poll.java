package com.castiel.sync.standalone.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, bounded, for something another thread or process does. */
public final class Poll {

    private Poll() {
    }

    /** Polls every 50 ms until {@code condition} holds; fails naming {@code what} after {@code atMost}. */
    public static void until(Duration atMost, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + atMost + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
