package com.castiel.sync.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsDocumentTest {

    @Test
    void a_scenario_row_shows_min_median_max_ratio_and_verdict() {
        Measure sync = new Measure("1", "Inbound full sync", "records/s", Samples.of(18_000, 22_000, 21_000), "limit",
                Samples.of(0.4, 0.55, 0.6), List.of(), "how").withTargets(new Target.AtLeast(20_000));
        ScenarioResult s = new ScenarioResult(1, "Inbound", "200,000 Accounts", List.of(sync), List.of(), null);

        String md = new ResultsDocument(List.of("CPU: test"), "bench/run", "2026-03-01T09:00:00Z", 3, List.of(s), List.of()).markdown();

        assertThat(md).contains("| 1 | Inbound full sync | 18,000 | 21,000 | 22,000 | records/s | 40 % / 55 % / 60 % | limit | ≥ 20,000 records/s | yes |");
    }

    @Test
    void a_missed_target_is_marked_in_the_summary() {
        Measure tick = new Measure("6", "tick", "ms", Samples.of(60, 70, 80), null, null, List.of(), null).withTargets(new Target.AtMost(50));
        ScenarioResult s = new ScenarioResult(6, "Scheduler", "100,000", List.of(tick), List.of(), null);

        String md = new ResultsDocument(List.of(), "bench/run", "t", 3, List.of(s), List.of()).markdown();

        assertThat(md).contains("| 6 | tick | 70 ms | — | ≤ 50 ms | **no** |");
    }

    @Test
    void a_scenario_that_could_not_run_says_why() {
        ScenarioResult s = ScenarioResult.notMeasured(5, "Webhooks", "", "the server did not start");

        String md = new ResultsDocument(List.of(), "bench/run", "t", 3, List.of(s), List.of()).markdown();

        assertThat(md).contains("**Not measured:** the server did not start").contains("| 5 | Webhooks | — | — | — | **not measured** |");
    }
}
