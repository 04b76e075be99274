package com.castiel.sync.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingEventPublisherTest {

    private static final Instant AT = Instant.parse("2025-01-15T10:00:00Z");
    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");

    private final RecordingEventPublisher publisher = new RecordingEventPublisher();

    @Test
    void keepsEventsInPublishOrder() {
        SyncEvent scheduled = scheduled("c-1");
        SyncEvent completed = completed("c-1");

        publisher.publish(scheduled);
        publisher.publish(completed);

        assertThat(publisher.events()).containsExactly(scheduled, completed);
    }

    @Test
    void filtersEventsByType() {
        publisher.publish(scheduled("c-1"));
        publisher.publish(completed("c-1"));
        publisher.publish(completed("c-2"));

        assertThat(publisher.eventsOfType(SyncEvent.SyncCompleted.class))
                .extracting(SyncEvent.SyncCompleted::correlationId).containsExactly("c-1", "c-2");
        assertThat(publisher.lastOfType(SyncEvent.SyncCompleted.class)).hasValueSatisfying(e -> assertThat(e.correlationId()).isEqualTo("c-2"));
        assertThat(publisher.lastOfType(SyncEvent.SyncFailed.class)).isEmpty();
        assertThat(publisher.eventsWithEventType("Castiel.Integration.SyncScheduled")).hasSize(1);
    }

    @Test
    void aFailingPublisherThrowsAndRecordsNothingUntilItRecovers() {
        publisher.failWith(new IllegalStateException("event grid down"));

        assertThatThrownBy(() -> publisher.publish(scheduled("c-1"))).hasMessage("event grid down");
        assertThat(publisher.events()).isEmpty();

        publisher.recover();
        publisher.publish(scheduled("c-2"));
        assertThat(publisher.events()).hasSize(1);
    }

    @Test
    void clearForgetsEvents() {
        publisher.publish(scheduled("c-1"));

        publisher.clear();

        assertThat(publisher.events()).isEmpty();
    }

    @Test
    void concurrentPublishesAreAllKept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        publisher.publish(scheduled(thread + "-" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(publisher.events()).hasSize(1000);
    }

    private static SyncEvent scheduled(String correlationId) {
        return new SyncEvent.SyncScheduled(TENANT, INTEGRATION, "salesforce", JobType.INCREMENTAL, AT, correlationId);
    }

    private static SyncEvent completed(String correlationId) {
        return new SyncEvent.SyncCompleted(TENANT, INTEGRATION, "salesforce", RunId.of("run-1"), JobType.INCREMENTAL,
                SyncStats.EMPTY, 1200, AT, correlationId);
    }
}
