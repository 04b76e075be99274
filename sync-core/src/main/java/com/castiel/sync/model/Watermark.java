package com.castiel.sync.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A position in a provider's modification order: (system modification stamp, record id). Records
 * are read in this order, so a watermark says "everything up to and including this record has
 * been durably applied".
 *
 * @param stamp system modification stamp
 * @param id record id, the tie-breaker among equal stamps
 */
public record Watermark(Instant stamp, String id) implements Comparable<Watermark> {

    private static final Comparator<Watermark> ORDER =
            Comparator.comparing(Watermark::stamp).thenComparing(Watermark::id);

    public Watermark {
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public int compareTo(Watermark other) {
        return ORDER.compare(this, other);
    }

    /** The later of two watermarks; {@code null} counts as earliest. */
    public static Watermark max(Watermark a, Watermark b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
