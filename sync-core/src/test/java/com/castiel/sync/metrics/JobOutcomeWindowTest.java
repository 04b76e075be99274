package com.castiel.sync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobOutcomeWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void only_the_newest_outcomes_up_to_the_requested_number_count() {
        JobOutcomeWindow w = new JobOutcomeWindow(10);
        for (int i = 0; i < 5; i++) {
            w.record(T0, true);
        }
        for (int i = 0; i < 5; i++) {
            w.record(T0, false);
        }

        assertThat(w.recent(5, Duration.ofHours(1), T0)).isEqualTo(new JobOutcomeWindow.Counts(5, 0));
        assertThat(w.recent(10, Duration.ofHours(1), T0)).isEqualTo(new JobOutcomeWindow.Counts(10, 5));
    }

    @Test
    void the_ring_forgets_the_oldest_when_full() {
        JobOutcomeWindow w = new JobOutcomeWindow(3);
        w.record(T0, true);
        w.record(T0, false);
        w.record(T0, false);
        w.record(T0, false);

        assertThat(w.recent(100, Duration.ofHours(1), T0)).isEqualTo(new JobOutcomeWindow.Counts(3, 0));
    }

    @Test
    void outcomes_older_than_the_window_do_not_count() {
        JobOutcomeWindow w = new JobOutcomeWindow(10);
        w.record(T0, true);
        w.record(T0.plus(Duration.ofMinutes(50)), false);

        assertThat(w.recent(10, Duration.ofHours(1), T0.plus(Duration.ofMinutes(70)))).isEqualTo(new JobOutcomeWindow.Counts(1, 0));
    }

    @Test
    void an_empty_window_has_no_failure_rate() {
        assertThat(new JobOutcomeWindow(1).recent(10, Duration.ofHours(1), T0).failureRate()).isZero();
    }
}
