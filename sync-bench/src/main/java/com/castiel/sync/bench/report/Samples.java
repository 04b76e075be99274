package com.castiel.sync.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Repeated measurements of one quantity (one value per repeat, in repeat order), summarised as
 * minimum, median and maximum. The median of an even count is the mean of the two middle values.
 *
 * @param values the measurements; never empty, never NaN
 */
public record Samples(List<Double> values) {

    public Samples {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("samples need at least one value");
        }
        for (Double v : values) {
            if (v == null || v.isNaN()) {
                throw new IllegalArgumentException("samples must be numbers, got " + values);
            }
        }
        values = List.copyOf(values);
    }

    public static Samples of(double... values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return new Samples(list);
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        double[] s = sorted();
        return s[s.length - 1];
    }

    public double median() {
        double[] s = sorted();
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    public int count() {
        return values.size();
    }

    /**
     * The per-repeat ratio {@code this[i] / denominator[i]}: both were measured in the same repeat,
     * so pairing them cancels drift between repeats.
     *
     * @throws IllegalArgumentException when the counts differ or a denominator is zero
     */
    public Samples over(Samples denominator) {
        if (denominator.count() != count()) {
            throw new IllegalArgumentException("cannot pair " + count() + " samples with " + denominator.count());
        }
        List<Double> ratios = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) {
            double d = denominator.values.get(i);
            if (d == 0) {
                throw new IllegalArgumentException("denominator sample " + i + " is zero");
            }
            ratios.add(values.get(i) / d);
        }
        return new Samples(ratios);
    }

    /** Each value divided by the same constant (a limit that is not measured, e.g. a documented rate). */
    public Samples over(double constant) {
        if (constant == 0) {
            throw new IllegalArgumentException("constant denominator is zero");
        }
        return new Samples(values.stream().map(v -> v / constant).toList());
    }

    /** The per-repeat minimum of two sample series (the lower of two limits, repeat by repeat). */
    public Samples lowerOf(Samples other) {
        if (other.count() != count()) {
            throw new IllegalArgumentException("cannot pair " + count() + " samples with " + other.count());
        }
        List<Double> low = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) {
            low.add(Math.min(values.get(i), other.values.get(i)));
        }
        return new Samples(low);
    }

    private double[] sorted() {
        double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }
}
