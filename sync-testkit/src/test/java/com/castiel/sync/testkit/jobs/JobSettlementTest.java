package com.castiel.sync.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.BackoffPolicy;
import com.castiel.sync.retry.DeadLetterReasons;
import com.castiel.sync.retry.FailureDecision;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JobSettlementTest {

    private static final String SCHEDULED = QueueSpec.INBOUND_SCHEDULED.name();
    private static final String OUTBOUND = QueueSpec.OUTBOUND.name();
    private static final SyncException.Details SF = SyncException.Details.of("salesforce", 503, null);
    private static final SyncException TIMEOUT = new SyncException.Transient(ErrorCode.TIMEOUT, "read timed out", SF);

    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final ObservedJobQueue queue = new ObservedJobQueue(new InMemoryJobQueue(clock));
    private final RecordingEventPublisher events = new RecordingEventPublisher();
    /** Jitter 0 pins the delays to the seed's base sequence. */
    private final JobFailurePolicy policy = new JobFailurePolicy(
            new BackoffPolicy(10, Duration.ofSeconds(5), Duration.ofMinutes(5), 2.0, 0.0), clock, new SplittableRandom(1));
    private final JobSettlement settlement = new JobSettlement(queue, policy, events, clock);

    @Test
    void a_retry_sends_the_next_attempt_scheduled_after_the_backoff_and_completes_the_original() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 3, "corr-1"));

        FailureDecision d = settlement.settleFailure(received, Jobs.decodeSyncJob(received), TIMEOUT, null);

        assertThat(d).isInstanceOfSatisfying(FailureDecision.Retry.class, r -> {
            assertThat(r.delay()).isEqualTo(Duration.ofSeconds(20));
            assertThat(r.at()).isEqualTo(Instant.parse("2026-11-01T10:00:20Z"));
        });
        assertThat(queue.stats(SCHEDULED)).isEqualTo(new JobQueue.QueueStats(0, 1, 0));
        OutgoingMessage retry = queue.sends().get(1);
        assertThat(retry.scheduledEnqueueTime()).isEqualTo(Instant.parse("2026-11-01T10:00:20Z"));
        assertThat(retry.correlationId()).isEqualTo("corr-1");
    }

    @Test
    void the_next_attempt_stays_invisible_until_its_time() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 1, "corr-1"));
        settlement.settleFailure(received, Jobs.decodeSyncJob(received), TIMEOUT, null);

        clock.advance(Duration.ofSeconds(4));
        assertThat(queue.receive(SCHEDULED, Duration.ZERO)).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        LockedMessage next = queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();
        SyncJobMessage job = Jobs.decodeSyncJob(next);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.correlationId()).isEqualTo("corr-1");
        assertThat(job.scheduledAt()).isEqualTo(Instant.parse("2026-11-01T10:00:05Z"));
        assertThat(next.deliveryCount()).isEqualTo(1);
    }

    @Test
    void retries_follow_the_backoff_sequence_until_the_job_is_dead_lettered() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 1, "corr-1"));
        List<Long> delays = new java.util.ArrayList<>();
        while (true) {
            FailureDecision d = settlement.settleFailure(received, Jobs.decodeSyncJob(received), TIMEOUT, null);
            if (!(d instanceof FailureDecision.Retry r)) {
                break;
            }
            delays.add(r.delay().toSeconds());
            clock.advance(r.delay());
            received = queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();
        }

        assertThat(delays).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L);
        assertThat(queue.deadLetters(SCHEDULED, 10)).singleElement().satisfies(dl -> {
            assertThat(dl.reason()).isEqualTo("TIMEOUT");
            assertThat(dl.description()).startsWith("gave up after attempt 10 of 10");
        });
    }

    @Test
    void a_crash_between_send_and_complete_does_not_schedule_the_retry_twice() {
        MutableClock c = MutableClock.at("2026-11-01T10:00:00Z");
        // a short lock so the redelivery arrives inside the duplicate detection window
        QueueSpec shortLock = new QueueSpec(SCHEDULED, 10, Duration.ofMinutes(1), Duration.ofDays(14), false, true, Duration.ofMinutes(10));
        ObservedJobQueue q = new ObservedJobQueue(new InMemoryJobQueue(c, List.of(shortLock)));
        JobSettlement s = new JobSettlement(q, new JobFailurePolicy(BackoffPolicy.DEFAULT, c, new SplittableRandom(7)), events, c);
        q.send(SCHEDULED, Jobs.message("m-1", Jobs.syncJob("int-1", 1, "corr-1")));
        LockedMessage first = q.receive(SCHEDULED, Duration.ZERO).orElseThrow();

        q.failCompletes(new IllegalStateException("process died"));
        assertThatThrownBy(() -> s.settleFailure(first, Jobs.decodeSyncJob(first), TIMEOUT, null)).hasMessage("process died");
        q.heal();
        c.advance(Duration.ofMinutes(1).plusSeconds(1));
        List<LockedMessage> visible = Jobs.receiveAll(q, SCHEDULED);
        LockedMessage redelivered = visible.stream().filter(m -> m.messageId().equals("m-1")).findFirst().orElseThrow();
        s.settleFailure(redelivered, Jobs.decodeSyncJob(redelivered), TIMEOUT, null);
        visible.stream().filter(m -> !m.messageId().equals("m-1")).forEach(q::complete);
        c.advance(Duration.ofMinutes(10));
        List<LockedMessage> later = Jobs.receiveAll(q, SCHEDULED);

        assertThat(redelivered.deliveryCount()).isEqualTo(2);
        assertThat(q.sends()).filteredOn(m -> !m.messageId().equals("m-1")).hasSize(2)
                .extracting(OutgoingMessage::messageId).containsOnly(q.sends().get(1).messageId());
        assertThat(visible.size() - 1 + later.size()).as("attempt-2 messages ever delivered").isEqualTo(1);
    }

    @Test
    void a_write_back_retry_stays_in_its_session() {
        queue.send(OUTBOUND, Jobs.message("wb-1", Jobs.writeBack("int-1", "shard-1", 1, "corr-9")));
        LockedMessage received;
        try (JobQueue.SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow()) {
            received = session.receive(Duration.ZERO).orElseThrow();
            settlement.settleFailure(received, SyncJson.read(received.body(), WriteBackMessage.class), TIMEOUT, null);
        }
        clock.advance(Duration.ofSeconds(5));

        try (JobQueue.SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow()) {
            assertThat(session.sessionId()).isEqualTo("int-1");
            LockedMessage retry = session.receive(Duration.ZERO).orElseThrow();
            assertThat(retry.sessionId()).isEqualTo("int-1");
            assertThat(SyncJson.read(retry.body(), WriteBackMessage.class).attempt()).isEqualTo(2);
        }
    }

    @Test
    void a_non_retryable_failure_is_dead_lettered_with_reason_attempts_error_and_correlation_id() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 3, "corr-1"));
        SyncException notFound = new SyncException.NotFound("Account 001A does not exist", SyncException.Details.of("salesforce", 404, "NOT_FOUND"));

        FailureDecision d = settlement.settleFailure(received, Jobs.decodeSyncJob(received), notFound, null);

        assertThat(d).isInstanceOf(FailureDecision.DeadLetter.class);
        DeadLetter dl = queue.deadLetters(SCHEDULED, 10).get(0);
        assertThat(dl.reason()).isEqualTo("NOT_FOUND");
        assertThat(dl.description())
                .contains("attempt 3 of 10")
                .contains("NOT_FOUND (salesforce, HTTP 404, NOT_FOUND): Account 001A does not exist")
                .contains("correlationId=corr-1");
        assertThat(queue.stats(SCHEDULED)).isEqualTo(new JobQueue.QueueStats(0, 0, 1));
    }

    @Test
    void a_dead_letter_raises_the_sync_dead_letter_notification() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 2, "corr-1"));
        SyncException denied = new SyncException.AuthFailed("refresh token revoked", SF);

        settlement.settleFailure(received, Jobs.decodeSyncJob(received), denied, null);

        assertThat(events.eventsOfType(SyncEvent.DeadLettered.class)).singleElement().satisfies(e -> {
            assertThat(e.integrationId()).isEqualTo(IntegrationId.of("int-1"));
            assertThat(e.tenantId()).isEqualTo(Jobs.TENANT);
            assertThat(e.queue()).isEqualTo(SCHEDULED);
            assertThat(e.messageId()).isEqualTo("m-1");
            assertThat(e.reason()).isEqualTo("AUTHENTICATION_FAILED");
            assertThat(e.error()).contains("refresh token revoked");
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.correlationId()).isEqualTo("corr-1");
            assertThat(e.occurredAt()).isEqualTo(clock.instant());
        });
        assertThat(SyncEvent.DeadLettered.NOTIFICATION_TYPE).isEqualTo("SYNC_DEAD_LETTER");
    }

    @Test
    void a_failing_notification_does_not_undo_the_dead_letter() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 1, "corr-1"));
        events.failWith(new IllegalStateException("event grid down"));

        settlement.settleFailure(received, Jobs.decodeSyncJob(received), new SyncException.NotFound("gone", SF), null);

        assertThat(queue.deadLetters(SCHEDULED, 10)).hasSize(1);
    }

    @Test
    void per_integration_overrides_apply_to_the_settlement() {
        LockedMessage received = sendAndReceive(Jobs.syncJob("int-1", 2, "corr-1"));

        settlement.settleFailure(received, Jobs.decodeSyncJob(received), TIMEOUT, new com.castiel.sync.model.RetrySettings(2, null, null, null));

        assertThat(queue.deadLetters(SCHEDULED, 10)).singleElement()
                .satisfies(dl -> assertThat(dl.description()).startsWith("gave up after attempt 2 of 2"));
    }

    @Test
    void an_unreadable_body_is_dead_lettered_at_once() {
        queue.send(SCHEDULED, new OutgoingMessage("junk-1", null, "{oops".getBytes(StandardCharsets.UTF_8), "corr-x", null, null,
                Map.of("tenantId", "tenant-a", "integrationId", "int-1")));
        LockedMessage received = queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();

        settlement.rejectUnreadable(received, new IllegalArgumentException("invalid JSON"));

        assertThat(queue.deadLetters(SCHEDULED, 10)).singleElement()
                .satisfies(dl -> assertThat(dl.reason()).isEqualTo(DeadLetterReasons.MESSAGE_UNREADABLE));
        assertThat(events.eventsOfType(SyncEvent.DeadLettered.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(DeadLetterReasons.MESSAGE_UNREADABLE));
    }

    private LockedMessage sendAndReceive(SyncJobMessage job) {
        queue.send(SCHEDULED, Jobs.message("m-1", job));
        return queue.receive(SCHEDULED, Duration.ZERO).orElseThrow();
    }
}
