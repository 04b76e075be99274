package com.castiel.sync.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * One row of the results: a measured quantity with its repeats, and optionally the limit it is
 * compared with (measured in the same run, repeat by repeat) and the targets it must meet.
 *
 * @param id short key, e.g. {@code 1}, {@code 1a}
 * @param name what was measured
 * @param unit unit of the value, e.g. {@code records/s}
 * @param value the measurements
 * @param limitName what the ratio is taken against, or {@code null} for a row without ratio
 * @param ratio value ÷ limit per repeat, or {@code null}
 * @param targets what the row must reach (empty for reference rows)
 * @param note how it was obtained, shown under the table
 */
public record Measure(String id, String name, String unit, Samples value, String limitName, Samples ratio, List<Target> targets,
                      String note) {

    public Measure {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(value, "value");
        if ((limitName == null) != (ratio == null)) {
            throw new IllegalArgumentException("a ratio needs the name of its limit and vice versa");
        }
        targets = List.copyOf(targets);
    }

    /** A reference row: a value with no ratio and no target. */
    public static Measure reference(String id, String name, String unit, Samples value, String note) {
        return new Measure(id, name, unit, value, null, null, List.of(), note);
    }

    public Measure withTargets(Target... t) {
        return new Measure(id, name, unit, value, limitName, ratio, List.of(t), note);
    }

    public Measure withRatio(String limit, Samples r) {
        return new Measure(id, name, unit, value, limit, r, targets, note);
    }

    /** True when every target is met; a row without targets is never a miss. */
    public boolean met() {
        return targets.stream().allMatch(t -> t.met(this));
    }
}
