package com.castiel.sync.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.schedule.SyncSchedule;
import com.castiel.sync.schedule.SyncScheduler;
import com.castiel.sync.schedule.TickSummary;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentSchedulersTest {

    private static final int INTEGRATIONS = 300;
    private static final int ROUNDS = 5;

    @Test
    @Timeout(60)
    void two_schedulers_ticking_at_once_enqueue_each_due_integration_once() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
        InMemoryIntegrationStore store = new InMemoryIntegrationStore(clock);
        // observed before duplicate detection, so a double claim would show even though the broker would drop it
        ObservedJobQueue queue = new ObservedJobQueue(new InMemoryJobQueue(clock));
        RecordingEventPublisher events = new RecordingEventPublisher();
        for (int i = 0; i < INTEGRATIONS; i++) {
            store.create(Jobs.integration(String.format("int-%03d", i), SyncFrequency.everyMinutes(5)));
        }
        SyncScheduler a = new SyncScheduler(store, queue, events, new SyncSchedule(), clock, INTEGRATIONS);
        SyncScheduler b = new SyncScheduler(store, queue, events, new SyncSchedule(), clock, INTEGRATIONS);

        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                int sentBefore = queue.sends().size();
                CyclicBarrier start = new CyclicBarrier(2);
                Future<TickSummary> ta = pool.submit(() -> { start.await(); return a.tick(); });
                Future<TickSummary> tb = pool.submit(() -> { start.await(); return b.tick(); });
                TickSummary sa = ta.get(30, TimeUnit.SECONDS);
                TickSummary sb = tb.get(30, TimeUnit.SECONDS);

                List<OutgoingMessage> sent = queue.sends().subList(sentBefore, queue.sends().size());
                Map<String, Long> perIntegration = sent.stream()
                        .collect(Collectors.groupingBy(m -> m.properties().get("integrationId"), Collectors.counting()));
                assertThat(perIntegration).as("round %d", round).hasSize(INTEGRATIONS);
                assertThat(perIntegration.values()).as("round %d", round).allMatch(n -> n == 1);
                assertThat(sa.claimed() + sb.claimed()).isEqualTo(INTEGRATIONS);
                assertThat(sa.failed() + sb.failed()).isZero();
                clock.advance(Duration.ofMinutes(5));
            }
        }
        Map<String, Long> messageIds = queue.sends().stream().collect(Collectors.groupingBy(OutgoingMessage::messageId, Collectors.counting()));
        assertThat(messageIds.values()).allMatch(n -> n == 1);
        assertThat(Jobs.receiveAll(queue, QueueSpec.INBOUND_SCHEDULED.name())).hasSize(INTEGRATIONS * ROUNDS);
        assertThat(events.events()).hasSize(INTEGRATIONS * ROUNDS);
    }

}
