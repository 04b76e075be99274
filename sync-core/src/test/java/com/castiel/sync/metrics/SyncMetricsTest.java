package com.castiel.sync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.hostfixtures.MutableClock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyncMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final SyncMetrics metrics = new SyncMetrics(registry, clock);

    @Test
    void a_completed_job_counts_as_processed_with_its_records_and_latency() {
        metrics.jobCompleted("salesforce", JobType.INCREMENTAL, new SyncStats(3, 5, 100, 1, 0, 2, 0), Duration.ofMillis(1234));

        assertThat(registry.get("sync_jobs_processed").tags("provider", "salesforce", "job_type", "incremental", "outcome", "success").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("sync_records_created").tags("provider", "salesforce").counter().count()).isEqualTo(3.0);
        assertThat(registry.get("sync_records_updated").tags("provider", "salesforce").counter().count()).isEqualTo(5.0);
        DistributionSummary latency = registry.get("sync_latency_ms").tags("outcome", "success").summary();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalAmount()).isEqualTo(1234.0);
    }

    @Test
    void a_failed_job_counts_as_processed_and_failed_with_its_error_code_and_fate() {
        metrics.jobFailed("salesforce", JobType.FULL_SYNC, "RATE_LIMIT", true, Duration.ofSeconds(2));
        metrics.jobFailed("salesforce", JobType.FULL_SYNC, "AUTHENTICATION_FAILED", false, null);

        assertThat(registry.get("sync_jobs_processed").tags("outcome", "failure").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("sync_jobs_failed").tags("error_code", "RATE_LIMIT", "outcome", "retry").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("sync_jobs_failed").tags("error_code", "AUTHENTICATION_FAILED", "outcome", "dead_letter").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("sync_latency_ms").tags("outcome", "failure").summary().count()).isEqualTo(1);
    }

    @Test
    void write_back_latency_is_tagged_by_operation_and_outcome() {
        metrics.writeBackCompleted("dynamics", Operation.UPDATE, "conflict", Duration.ofMillis(80));

        assertThat(registry.get("writeback_latency_ms").tags("provider", "dynamics", "operation", "update", "outcome", "conflict").summary().totalAmount())
                .isEqualTo(80.0);
    }

    @Test
    void an_unknown_write_back_outcome_is_rejected_to_keep_tags_bounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> metrics.writeBackCompleted("dynamics", Operation.UPDATE, "failed: record 42 locked", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("success");
        assertThat(registry.find("writeback_latency_ms").summaries()).isEmpty();
    }

    @Test
    void token_refresh_failures_counted_here_and_directly_on_the_registry_are_one_meter() {
        metrics.tokenRefreshFailed("salesforce", "invalid_credentials");
        registry.counter("token_refresh_failures", "provider", "salesforce", "outcome", "invalid_credentials").increment();
        registry.counter("token_refresh_failures", "provider", "zoom", "outcome", "authentication_failed").increment();

        assertThat(registry.find("token_refresh_failures").counters()).hasSize(2);
        assertThat(metrics.tokenRefreshFailures()).isEqualTo(3.0);
    }

    @Test
    void queue_depth_gauges_show_the_last_recorded_counts() {
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(7, 2, 1));
        metrics.recordQueueStats("sync-outbound", new JobQueue.QueueStats(4, 0, 3));

        assertThat(registry.get("sync_queue_depth").tags("queue", "sync-outbound", "state", "active").gauge().value()).isEqualTo(4.0);
        assertThat(registry.get("sync_queue_depth").tags("queue", "sync-outbound", "state", "scheduled").gauge().value()).isEqualTo(0.0);
        assertThat(registry.get("sync_queue_depth").tags("queue", "sync-outbound", "state", "dead_lettered").gauge().value()).isEqualTo(3.0);
        assertThat(metrics.queueStats()).containsEntry("sync-outbound", new JobQueue.QueueStats(4, 0, 3));
    }

    @Test
    void meters_use_the_seeds_names() {
        metrics.jobCompleted("salesforce", JobType.INCREMENTAL, new SyncStats(1, 1, 0, 0, 0, 0, 0), Duration.ZERO);
        metrics.jobFailed("salesforce", JobType.INCREMENTAL, "TIMEOUT", true, Duration.ZERO);
        metrics.writeBackCompleted("salesforce", Operation.CREATE, "success", Duration.ZERO);
        metrics.tokenRefreshFailed("salesforce", "authentication_failed");
        metrics.recordQueueStats("sync-inbound-scheduled", new JobQueue.QueueStats(0, 0, 0));

        Set<String> names = registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toSet());

        assertThat(names).containsExactlyInAnyOrder("sync_jobs_processed", "sync_jobs_failed", "sync_records_created", "sync_records_updated",
                "sync_latency_ms", "sync_queue_depth", "writeback_latency_ms", "token_refresh_failures");
    }

    @Test
    void no_meter_is_tagged_with_integration_or_tenant_ids() {
        metrics.jobCompleted("salesforce", JobType.INCREMENTAL, new SyncStats(1, 1, 0, 0, 0, 0, 0), Duration.ZERO);
        metrics.jobFailed("salesforce", JobType.INCREMENTAL, "TIMEOUT", true, Duration.ZERO);
        metrics.writeBackCompleted("salesforce", Operation.CREATE, "success", Duration.ZERO);

        Set<String> keys = registry.getMeters().stream().map(Meter::getId).flatMap(id -> id.getTags().stream()).map(Tag::getKey)
                .collect(Collectors.toSet());

        assertThat(keys).isSubsetOf("provider", "job_type", "outcome", "error_code", "operation", "queue", "state");
    }

    @Test
    void a_missing_provider_is_recorded_as_unknown() {
        metrics.jobFailed(null, null, null, false, null);

        assertThat(registry.get("sync_jobs_failed").tags("provider", "unknown", "job_type", "unknown", "error_code", "unknown").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void job_outcomes_feed_the_failure_window() {
        metrics.jobCompleted("salesforce", JobType.INCREMENTAL, SyncStats.EMPTY, Duration.ZERO);
        metrics.jobFailed("salesforce", JobType.INCREMENTAL, "TIMEOUT", true, null);

        JobOutcomeWindow.Counts counts = metrics.outcomes().recent(100, Duration.ofHours(1), clock.instant());

        assertThat(counts).isEqualTo(new JobOutcomeWindow.Counts(2, 1));
    }
}
