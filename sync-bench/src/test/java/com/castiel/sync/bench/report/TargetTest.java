package com.castiel.sync.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {

    private static Measure measure(Samples value, Samples ratio) {
        return new Measure("1", "sync", "records/s", value, ratio == null ? null : "limit", ratio, List.of(), null);
    }

    @Test
    void a_floor_is_judged_on_the_median_not_on_the_best_repeat() {
        Measure m = measure(Samples.of(25_000, 19_000, 18_000), null).withTargets(new Target.AtLeast(20_000));

        assertThat(m.met()).isFalse();
    }

    @Test
    void a_ratio_target_is_met_when_the_median_ratio_reaches_it() {
        Measure m = measure(Samples.of(1, 1, 1), Samples.of(0.4, 0.5, 0.9)).withTargets(new Target.RatioAtLeast(0.5));

        assertThat(m.met()).isTrue();
    }

    @Test
    void every_target_of_a_measure_must_be_met() {
        Measure m = measure(Samples.of(30_000, 30_000, 30_000), Samples.of(0.3, 0.3, 0.3))
                .withTargets(new Target.AtLeast(20_000), new Target.RatioAtLeast(0.5));

        assertThat(m.met()).isFalse();
    }

    @Test
    void a_ceiling_accepts_the_bound_itself() {
        assertThat(measure(Samples.of(0, 0, 0), null).withTargets(new Target.AtMost(0)).met()).isTrue();
    }

    @Test
    void targets_describe_themselves_with_the_unit() {
        Measure m = measure(Samples.of(1), null);

        assertThat(new Target.AtLeast(20_000).describe(m)).isEqualTo("≥ 20,000 records/s");
        assertThat(new Target.RatioAtLeast(0.95).describe(m)).isEqualTo("ratio ≥ 95 %");
        assertThat(new Target.RatioAtLeast(2.5).describe(m)).isEqualTo("ratio ≥ 2.50×");
    }
}
