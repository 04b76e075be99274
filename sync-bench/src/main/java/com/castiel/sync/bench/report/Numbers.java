package com.castiel.sync.bench.report;

import java.util.Locale;

/** Number formatting of the results table: thousands separators, sensible precision. */
final class Numbers {

    private Numbers() {
    }

    /** 12,345 for large and whole values, 12.3 / 1.23 / 0.123 for small fractional ones. */
    static String format(double v) {
        double a = Math.abs(v);
        if (a >= 1000 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A ratio as a percentage below 10× (e.g. {@code 64 %}), as a multiple above. */
    static String ratio(double r) {
        if (r < 10) {
            return String.format(Locale.ROOT, "%.0f %%", r * 100);
        }
        return String.format(Locale.ROOT, "%.1f×", r);
    }
}
