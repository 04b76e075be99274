package com.castiel.sync.testkit.time;

import com.castiel.sync.port.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Sleeper} that advances a {@link MutableClock} instead of waiting, and records every
 * requested sleep so tests can assert on backoff and rate-limit waits.
 *
 * <p>Like {@link Sleeper#SYSTEM}, a zero or negative duration does not move the clock (it is
 * still recorded). A call on an interrupted thread throws {@link InterruptedException} and clears
 * the interrupt flag, as {@link Thread#sleep} does. Thread-safe; concurrent sleeps each advance
 * the shared clock by their own duration.
 */
public final class ManualSleeper implements Sleeper {

    private final MutableClock clock;
    private final List<Duration> sleeps = new ArrayList<>();

    public ManualSleeper(MutableClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before sleeping " + duration);
        }
        synchronized (sleeps) {
            sleeps.add(duration);
        }
        if (!duration.isNegative() && !duration.isZero()) {
            clock.advance(duration);
        }
    }

    /** Every requested sleep, in call order. */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /** The sum of the positive requested sleeps: how far this sleeper moved the clock. */
    public Duration totalSlept() {
        synchronized (sleeps) {
            return sleeps.stream().filter(d -> !d.isNegative()).reduce(Duration.ZERO, Duration::plus);
        }
    }

    /** Forgets the recorded sleeps (the clock is not moved back). */
    public void clear() {
        synchronized (sleeps) {
            sleeps.clear();
        }
    }

    public MutableClock clock() {
        return clock;
    }
}
