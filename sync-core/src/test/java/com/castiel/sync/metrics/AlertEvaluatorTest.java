package com.castiel.sync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.hostfixtures.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final SyncMetrics metrics = new SyncMetrics(registry, clock);
    private final AlertEvaluator alerts = new AlertEvaluator(metrics, AlertThresholds.DEFAULT, clock);

    @Test
    void a_quiet_engine_has_no_alerts() {
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(3, 1, 0));
        jobs(50, 0);

        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void more_than_ten_percent_failed_jobs_is_critical() {
        jobs(88, 12);

        assertThat(alerts.evaluate()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo(Alert.HIGH_FAILURE_RATE);
            assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(a.value()).isEqualTo(0.12);
            assertThat(a.threshold()).isEqualTo(0.10);
            assertThat(a.message()).contains("12 of the last 100");
        });
    }

    @Test
    void exactly_ten_percent_does_not_fire() {
        jobs(90, 10);

        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void too_few_jobs_do_not_make_a_failure_rate() {
        jobs(4, 5);

        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void only_the_last_hundred_jobs_count() {
        jobs(0, 50);
        jobs(100, 0);

        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void failures_older_than_the_window_are_forgotten() {
        jobs(50, 50);
        clock.advance(Duration.ofMinutes(61));

        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void a_backlog_over_one_hundred_pending_is_a_warning_per_queue() {
        metrics.recordQueueStats("sync-inbound-webhook", new JobQueue.QueueStats(101, 0, 0));
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(100, 500, 0));

        assertThat(alerts.evaluate()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo(Alert.QUEUE_BACKLOG);
            assertThat(a.severity()).isEqualTo(AlertSeverity.WARNING);
            assertThat(a.value()).isEqualTo(101.0);
            assertThat(a.message()).contains("sync-inbound-webhook");
        });
    }

    @Test
    void any_token_refresh_failure_is_high() {
        registry.counter(SyncMetrics.TOKEN_REFRESH_FAILURES, "provider", "salesforce", "outcome", "authentication_failed").increment();

        assertThat(alerts.evaluate()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo(Alert.TOKEN_REFRESH_FAILURE);
            assertThat(a.severity()).isEqualTo(AlertSeverity.HIGH);
            assertThat(a.value()).isEqualTo(1.0);
        });
    }

    @Test
    void a_token_refresh_failure_alert_clears_after_its_window() {
        metrics.tokenRefreshFailed("salesforce", "authentication_failed");
        assertThat(alerts.evaluate()).hasSize(1);

        clock.advance(Duration.ofMinutes(30));
        assertThat(alerts.evaluate()).hasSize(1);

        clock.advance(Duration.ofMinutes(31));
        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void a_new_token_refresh_failure_after_the_window_fires_again() {
        metrics.tokenRefreshFailed("salesforce", "authentication_failed");
        alerts.evaluate();
        clock.advance(Duration.ofHours(2));
        assertThat(alerts.evaluate()).isEmpty();

        metrics.tokenRefreshFailed("zoom", "invalid_credentials");

        assertThat(alerts.evaluate()).singleElement().satisfies(a -> assertThat(a.value()).isEqualTo(1.0));
    }

    @Test
    void more_than_ten_dead_letters_over_all_queues_is_a_warning() {
        metrics.recordQueueStats("sync-inbound-scheduled", new JobQueue.QueueStats(0, 0, 6));
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(0, 0, 5));

        assertThat(alerts.evaluate()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo(Alert.DEAD_LETTER_ACCUMULATION);
            assertThat(a.severity()).isEqualTo(AlertSeverity.WARNING);
            assertThat(a.value()).isEqualTo(11.0);
            assertThat(a.message()).contains("sync-inbound-scheduled: 6").contains("sync-outbound: 5");
        });
    }

    @Test
    void ten_dead_letters_do_not_fire() {
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(0, 0, 10));

        assertThat(alerts.evaluate()).isEmpty();
    }

    @Test
    void thresholds_are_configurable() {
        AlertThresholds strict = new AlertThresholds(0.01, 20, Duration.ofMinutes(5), 5, 10, 2, Duration.ofMinutes(10), 0);
        AlertEvaluator evaluator = new AlertEvaluator(metrics, strict, clock);
        jobs(19, 1);
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(11, 0, 1));
        metrics.tokenRefreshFailed("salesforce", "authentication_failed");
        metrics.tokenRefreshFailed("salesforce", "authentication_failed");

        assertThat(evaluator.evaluate()).extracting(Alert::name)
                .containsExactly(Alert.HIGH_FAILURE_RATE, Alert.QUEUE_BACKLOG, Alert.DEAD_LETTER_ACCUMULATION);

        metrics.tokenRefreshFailed("salesforce", "authentication_failed");
        assertThat(evaluator.evaluate()).extracting(Alert::name).contains(Alert.TOKEN_REFRESH_FAILURE);
    }

    @Test
    void alerts_come_most_urgent_first() {
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(500, 0, 50));
        metrics.tokenRefreshFailed("salesforce", "authentication_failed");
        jobs(0, 20);

        List<Alert> all = alerts.evaluate();

        assertThat(all).extracting(Alert::severity)
                .containsExactly(AlertSeverity.CRITICAL, AlertSeverity.HIGH, AlertSeverity.WARNING, AlertSeverity.WARNING);
    }

    private void jobs(int succeeded, int failed) {
        for (int i = 0; i < failed; i++) {
            metrics.jobFailed("salesforce", JobType.INCREMENTAL, "TIMEOUT", true, null);
        }
        for (int i = 0; i < succeeded; i++) {
            metrics.jobCompleted("salesforce", JobType.INCREMENTAL, SyncStats.EMPTY, Duration.ZERO);
        }
    }
}
