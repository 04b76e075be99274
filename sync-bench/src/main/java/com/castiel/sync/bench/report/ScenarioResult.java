package com.castiel.sync.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one scenario: its measures, the sizes it ran with, and what could not be
 * measured (with the reason), so a partial run still says exactly what is missing.
 *
 * @param number the scenario number of the benchmark brief (1–6)
 * @param title short title
 * @param sizes the sizes it ran with, in words
 * @param measures the rows
 * @param remarks facts found while measuring (refusals counted, writes seen…), shown as a list
 * @param missing why the scenario, or part of it, was not measured; {@code null} when complete
 */
public record ScenarioResult(int number, String title, String sizes, List<Measure> measures, List<String> remarks, String missing) {

    public ScenarioResult {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(sizes, "sizes");
        measures = List.copyOf(measures);
        remarks = List.copyOf(remarks);
    }

    public static ScenarioResult notMeasured(int number, String title, String sizes, String why) {
        return new ScenarioResult(number, title, sizes, List.of(), List.of(), Objects.requireNonNull(why, "why"));
    }
}
