package com.castiel.sync.testkit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so time-dependent logic (lock expiry,
 * TTLs, backoff, token expiry, schedules) is tested without sleeping.
 *
 * <p>Thread-safe: {@link #set} and {@link #advance} are atomic and immediately visible to every
 * thread reading the clock. Clocks derived with {@link #withZone} share this clock's instant, so
 * advancing one advances all of them.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@code start} in UTC. */
    public MutableClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    /** A clock at {@code start} in {@code zone}. */
    public MutableClock(Instant start, ZoneId zone) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), zone);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** A clock at {@code isoInstant} (e.g. {@code 2025-01-15T10:00:00Z}) in UTC. */
    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's instant. */
    @Override
    public MutableClock withZone(ZoneId newZone) {
        return newZone.equals(zone) ? this : new MutableClock(now, newZone);
    }

    /** Moves the clock to {@code instant}, forwards or backwards. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock forwards.
     *
     * @return the new instant
     * @throws IllegalArgumentException when {@code duration} is negative (use {@link #set} to go
     *     back in time deliberately)
     */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration + "; use set() to move the clock back");
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + ", " + zone + "]";
    }
}
