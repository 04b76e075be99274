package com.castiel.sync.bench.report;

import java.util.Locale;

/**
 * What a measure must reach, judged on the median of its samples (or of its ratio samples).
 * Sealed: a bound on the value, or a bound on the ratio to its limit.
 */
public sealed interface Target {

    /** Whether the measure meets the target. */
    boolean met(Measure measure);

    /** The target as the results table shows it, e.g. {@code ≥ 20,000 records/s}. */
    String describe(Measure measure);

    /** The value's median must be at least {@code bound}. */
    record AtLeast(double bound) implements Target {
        @Override
        public boolean met(Measure m) {
            return m.value().median() >= bound;
        }

        @Override
        public String describe(Measure m) {
            return "≥ " + Numbers.format(bound) + " " + m.unit();
        }
    }

    /** The value's median must be at most {@code bound}. */
    record AtMost(double bound) implements Target {
        @Override
        public boolean met(Measure m) {
            return m.value().median() <= bound;
        }

        @Override
        public String describe(Measure m) {
            return "≤ " + Numbers.format(bound) + " " + m.unit();
        }
    }

    /** The median ratio to the limit must be at least {@code bound}. */
    record RatioAtLeast(double bound) implements Target {
        @Override
        public boolean met(Measure m) {
            return m.ratio() != null && m.ratio().median() >= bound;
        }

        @Override
        public String describe(Measure m) {
            return "ratio ≥ " + ratioText(bound);
        }
    }

    /** The median ratio to the limit must be at most {@code bound}. */
    record RatioAtMost(double bound) implements Target {
        @Override
        public boolean met(Measure m) {
            return m.ratio() != null && m.ratio().median() <= bound;
        }

        @Override
        public String describe(Measure m) {
            return "ratio ≤ " + ratioText(bound);
        }
    }

    private static String ratioText(double bound) {
        return bound < 1 ? String.format(Locale.ROOT, "%.0f %%", bound * 100) : String.format(Locale.ROOT, "%.2f×", bound);
    }
}
