package com.castiel.sync.standalone.store.sqlite;

import java.time.Instant;

/**
 * Instants as SQLite integers: nanoseconds since the epoch, which compare and index as plain
 * numbers and keep the full precision of {@link java.time.Clock} readings. The range covers the
 * years 1677 to 2262; instants outside it are clamped to the nearest end, which keeps their order
 * relative to every instant inside it (an "end of time" sorts last).
 */
public final class EpochNanos {

    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;
    private static final long MIN_SECONDS = Long.MIN_VALUE / 1_000_000_000L;

    private EpochNanos() {
    }

    /** The column value for {@code instant}; {@code null} stays {@code null}. */
    public static Long of(Instant instant) {
        return instant == null ? null : nanos(instant);
    }

    /** The column value for a non-null {@code instant}. */
    public static long nanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= MAX_SECONDS) {
            return Long.MAX_VALUE;
        }
        if (seconds <= MIN_SECONDS) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + instant.getNano();
    }

    /** The instant of a column value. */
    public static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
