package com.castiel.sync.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void median_of_an_odd_count_is_the_middle_value() {
        assertThat(Samples.of(9, 1, 5).median()).isEqualTo(5);
    }

    @Test
    void median_of_an_even_count_is_the_mean_of_the_two_middle_values() {
        assertThat(Samples.of(4, 1, 3, 10).median()).isEqualTo(3.5);
    }

    @Test
    void min_and_max_ignore_repeat_order() {
        Samples s = Samples.of(7, 2, 11);
        assertThat(s.min()).isEqualTo(2);
        assertThat(s.max()).isEqualTo(11);
    }

    @Test
    void ratios_pair_values_with_the_limit_of_the_same_repeat() {
        Samples engine = Samples.of(10, 30, 20);
        Samples limit = Samples.of(20, 40, 100);

        assertThat(engine.over(limit).values()).containsExactly(0.5, 0.75, 0.2);
    }

    @Test
    void lower_of_two_limits_is_taken_repeat_by_repeat() {
        assertThat(Samples.of(5, 50, 7).lowerOf(Samples.of(6, 40, 9)).values()).containsExactly(5.0, 40.0, 7.0);
    }

    @Test
    void pairing_series_of_different_lengths_is_refused() {
        assertThatThrownBy(() -> Samples.of(1, 2, 3).over(Samples.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_zero_limit_is_refused_rather_than_giving_an_infinite_ratio() {
        assertThatThrownBy(() -> Samples.of(1, 2).over(Samples.of(1, 0))).hasMessageContaining("zero");
    }

    @Test
    void samples_without_values_are_refused() {
        assertThatThrownBy(Samples::of).isInstanceOf(IllegalArgumentException.class);
    }
}
