package com.castiel.sync.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.DeadLetterEntry;
import com.castiel.sync.retry.DeadLetterReasons;
import com.castiel.sync.retry.DeadLetterReview;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterReviewTest {

    private static final String SCHEDULED = QueueSpec.INBOUND_SCHEDULED.name();
    private static final String WEBHOOK = QueueSpec.INBOUND_WEBHOOK.name();
    private static final String OUTBOUND = QueueSpec.OUTBOUND.name();
    private static final List<String> ALL = List.of(WEBHOOK, SCHEDULED, OUTBOUND);
    private static final SyncException.Details SF = SyncException.Details.of("salesforce", 404, null);

    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final RecordingEventPublisher events = new RecordingEventPublisher();
    private final JobSettlement settlement = new JobSettlement(queue, JobFailurePolicy.withDefaults(clock), events, clock);
    private final DeadLetterReview review = new DeadLetterReview(queue, events, clock);

    @Test
    void a_dead_sync_job_is_listed_with_its_integration_job_reason_attempts_and_error() {
        deadLetterSyncJob("m-1", 4);

        assertThat(review.list(SCHEDULED, 10)).singleElement().satisfies(e -> {
            assertThat(e.integrationId()).isEqualTo(IntegrationId.of("int-1"));
            assertThat(e.tenantId()).isEqualTo(Jobs.TENANT);
            assertThat(e.provider()).isEqualTo("salesforce");
            assertThat(e.jobType()).isEqualTo(JobType.INCREMENTAL);
            assertThat(e.operation()).isNull();
            assertThat(e.reason()).isEqualTo("NOT_FOUND");
            assertThat(e.attempts()).isEqualTo(4);
            assertThat(e.error()).contains("attempt 4 of 10").contains("gone");
            assertThat(e.correlationId()).isEqualTo("corr-m-1");
            assertThat(e.deadLetteredAt()).isEqualTo(clock.instant());
            assertThat(e.readable()).isTrue();
        });
    }

    @Test
    void a_dead_write_back_is_listed_with_its_operation_and_shard() {
        queue.send(OUTBOUND, Jobs.message("wb-1", Jobs.writeBack("int-1", "shard-9", 1, "corr-wb")));
        try (JobQueue.SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow()) {
            LockedMessage m = session.receive(Duration.ZERO).orElseThrow();
            settlement.settleFailure(m, SyncJson.read(m.body(), WriteBackMessage.class), new SyncException.Validation("Name too long", "Name", SF), null);
        }

        assertThat(review.list(OUTBOUND, 10)).singleElement().satisfies(e -> {
            assertThat(e.operation()).isEqualTo(Operation.UPDATE);
            assertThat(e.shardId()).isEqualTo(ShardId.of("shard-9"));
            assertThat(e.jobType()).isNull();
            assertThat(e.reason()).isEqualTo("VALIDATION_ERROR");
        });
    }

    @Test
    void an_unreadable_dead_letter_is_listed_with_what_its_properties_say() {
        queue.send(SCHEDULED, new OutgoingMessage("junk", null, "{}".getBytes(StandardCharsets.UTF_8), null, null, null,
                Map.of("tenantId", "tenant-a", "integrationId", "int-7")));
        settlement.rejectUnreadable(queue.receive(SCHEDULED, Duration.ZERO).orElseThrow(), new IllegalArgumentException("no jobType"));

        DeadLetterEntry e = review.list(SCHEDULED, 10).get(0);

        assertThat(e.readable()).isFalse();
        assertThat(e.decodeError()).contains("neither a SyncJobMessage");
        assertThat(e.integrationId()).isEqualTo(IntegrationId.of("int-7"));
        assertThat(e.reason()).isEqualTo(DeadLetterReasons.MESSAGE_UNREADABLE);
    }

    @Test
    void a_replayed_dead_letter_runs_again_from_attempt_one() {
        deadLetterSyncJob("m-1", 10);
        long seq = review.list(SCHEDULED, 10).get(0).sequenceNumber();
        clock.advance(Duration.ofHours(1));

        boolean replayed = review.replay(SCHEDULED, seq);

        assertThat(replayed).isTrue();
        assertThat(review.list(SCHEDULED, 10)).isEmpty();
        LockedMessage again = queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();
        assertThat(Jobs.decodeSyncJob(again).attempt()).isEqualTo(1);
        assertThat(Jobs.decodeSyncJob(again).scheduledAt()).isEqualTo(clock.instant());
        assertThat(Jobs.decodeSyncJob(again).correlationId()).isEqualTo("corr-m-1");
        assertThat(again.deliveryCount()).isEqualTo(1);
    }

    @Test
    void a_replayed_write_back_runs_again_from_attempt_one() {
        queue.send(OUTBOUND, Jobs.message("wb-1", Jobs.writeBack("int-1", "shard-9", 7, "corr-wb")));
        try (JobQueue.SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow()) {
            LockedMessage m = session.receive(Duration.ZERO).orElseThrow();
            settlement.settleFailure(m, SyncJson.read(m.body(), WriteBackMessage.class), new SyncException.NotFound("gone", SF), null);
        }

        assertThat(review.replayAll(OUTBOUND, 10)).isEqualTo(1);

        try (JobQueue.SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow()) {
            LockedMessage m = session.receive(Duration.ZERO).orElseThrow();
            assertThat(SyncJson.read(m.body(), WriteBackMessage.class).attempt()).isEqualTo(1);
        }
    }

    @Test
    void replaying_an_unknown_dead_letter_reports_false() {
        assertThat(review.replay(SCHEDULED, 12345)).isFalse();
    }

    @Test
    void purging_removes_one_or_all_dead_letters() {
        deadLetterSyncJob("m-1", 1);
        deadLetterSyncJob("m-2", 1);
        deadLetterSyncJob("m-3", 1);
        long first = review.list(SCHEDULED, 10).get(0).sequenceNumber();

        assertThat(review.purge(SCHEDULED, first)).isTrue();
        assertThat(review.purge(SCHEDULED, first)).isFalse();
        assertThat(review.list(SCHEDULED, 10)).extracting(DeadLetterEntry::messageId).containsExactly("m-2", "m-3");
        assertThat(review.purgeAll(SCHEDULED)).isEqualTo(2);
        assertThat(queue.stats(SCHEDULED).deadLettered()).isZero();
    }

    @Test
    void dead_letters_made_by_the_broker_are_announced_once() {
        exceedDeliveries("hook-1");

        int first = review.announceNew(ALL, 100);
        int second = review.announceNew(ALL, 100);

        assertThat(first).isEqualTo(1);
        assertThat(second).isZero();
        assertThat(events.eventsOfType(SyncEvent.DeadLettered.class)).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(DeadLetterReasons.MAX_DELIVERY_COUNT_EXCEEDED);
            assertThat(e.queue()).isEqualTo(WEBHOOK);
            assertThat(e.integrationId()).isEqualTo(IntegrationId.of("int-1"));
            assertThat(e.attempts()).isEqualTo(1);
        });
    }

    @Test
    void dead_letters_the_engine_made_are_not_announced_twice() {
        deadLetterSyncJob("m-1", 2);
        int announcedBySettlement = events.eventsOfType(SyncEvent.DeadLettered.class).size();

        int byReview = review.announceNew(ALL, 100);

        assertThat(announcedBySettlement).isEqualTo(1);
        assertThat(byReview).isZero();
    }

    @Test
    void a_new_broker_dead_letter_is_announced_after_earlier_ones() {
        exceedDeliveries("hook-1");
        review.announceNew(ALL, 100);
        review.purgeAll(WEBHOOK);

        exceedDeliveries("hook-2");

        assertThat(review.announceNew(ALL, 100)).isEqualTo(1);
        assertThat(events.eventsOfType(SyncEvent.DeadLettered.class)).extracting(SyncEvent.DeadLettered::messageId)
                .containsExactly("hook-1", "hook-2");
    }

    private void deadLetterSyncJob(String messageId, int attempt) {
        queue.send(SCHEDULED, Jobs.message(messageId, Jobs.syncJob("int-1", attempt, "corr-" + messageId)));
        LockedMessage m = queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();
        settlement.settleFailure(m, Jobs.decodeSyncJob(m), new SyncException.NotFound("gone", SF), null);
    }

    /** A worker that keeps crashing: each delivery is abandoned until the broker gives up. */
    private void exceedDeliveries(String messageId) {
        queue.send(WEBHOOK, Jobs.message(messageId, Jobs.syncJob("int-1", 1, "corr-" + messageId)));
        for (int i = 0; i < QueueSpec.INBOUND_WEBHOOK.maxDeliveryCount(); i++) {
            queue.abandon(queue.receive(WEBHOOK, Duration.ZERO).orElseThrow());
        }
    }
}
