package com.castiel.sync.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.metrics.Alert;
import com.castiel.sync.metrics.AlertEvaluator;
import com.castiel.sync.metrics.AlertThresholds;
import com.castiel.sync.metrics.SyncMetrics;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueAlertsTest {

    private static final String SCHEDULED = QueueSpec.INBOUND_SCHEDULED.name();
    private static final List<String> ALL = QueueSpec.ALL.stream().map(QueueSpec::name).toList();

    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SyncMetrics metrics = new SyncMetrics(registry, clock);
    private final AlertEvaluator alerts = new AlertEvaluator(metrics, AlertThresholds.DEFAULT, clock);

    @Test
    void sampled_queue_counts_feed_the_depth_gauges() {
        for (int i = 0; i < 3; i++) {
            queue.send(SCHEDULED, Jobs.message("m-" + i, Jobs.syncJob("int-" + i, 1, "c-" + i)));
        }
        queue.send(SCHEDULED, Jobs.message("later", Jobs.syncJob("int-9", 1, "c-9")).scheduledAt(clock.instant().plusSeconds(60)));

        metrics.sampleQueues(queue, ALL);

        assertThat(registry.get("sync_queue_depth").tags("queue", SCHEDULED, "state", "active").gauge().value()).isEqualTo(3.0);
        assertThat(registry.get("sync_queue_depth").tags("queue", SCHEDULED, "state", "scheduled").gauge().value()).isEqualTo(1.0);
        assertThat(metrics.queueStats()).containsOnlyKeys(ALL);
    }

    @Test
    void eleven_dead_letters_raise_the_accumulation_alert_at_the_next_sample() {
        JobSettlement settlement = new JobSettlement(queue, JobFailurePolicy.withDefaults(clock), new RecordingEventPublisher(), clock);
        for (int i = 0; i < 11; i++) {
            queue.send(SCHEDULED, Jobs.message("m-" + i, Jobs.syncJob("int-" + i, 1, "c-" + i)));
            LockedMessage m = queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();
            settlement.settleFailure(m, Jobs.decodeSyncJob(m), new SyncException.NotFound("gone", SyncException.Details.NONE), null);
        }
        assertThat(alerts.evaluate()).isEmpty();

        metrics.sampleQueues(queue, ALL);

        assertThat(alerts.evaluate()).extracting(Alert::name).containsExactly(Alert.DEAD_LETTER_ACCUMULATION);
    }

    @Test
    void a_queue_that_cannot_be_read_keeps_its_last_sample() {
        metrics.sampleQueues(queue, ALL);

        var sampled = metrics.sampleQueues(queue, List.of(SCHEDULED, "no-such-queue"));

        assertThat(sampled).containsOnlyKeys(SCHEDULED);
        assertThat(metrics.queueStats()).containsEntry(SCHEDULED, new JobQueue.QueueStats(0, 0, 0));
    }
}
