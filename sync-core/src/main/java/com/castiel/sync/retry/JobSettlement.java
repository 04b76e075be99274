package com.castiel.sync.retry;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RetrySettings;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a received job whose attempt failed, following a {@link FailureDecision}:
 *
 * <ul>
 *   <li><b>Retry</b>: sends the job as attempt {@code n + 1} to the same queue with
 *       {@code scheduledEnqueueTime = now + delay} (same session id on session queues), then
 *       completes the received message. Job-level retries therefore never rely on hot redelivery:
 *       the broker's delivery count only guards against crash loops. The new message id is
 *       derived from the correlation id, the received message id and the next attempt number
 *       ({@link #retryMessageId}), so if the process dies between the send and the complete, the
 *       redelivered message produces the same id and duplicate detection drops the second send.</li>
 *   <li><b>Dead letter</b>: dead-letters the received message with reason = error code and a
 *       description carrying attempt count, last error and correlation id, then publishes
 *       {@link SyncEvent.DeadLettered} (the seed's {@code SYNC_DEAD_LETTER} notification).</li>
 * </ul>
 *
 * <p>Errors: a failing send propagates before the received message is touched, so its lock runs
 * out and the broker redelivers it; a failing complete or dead-letter
 * ({@link com.castiel.sync.port.MessageLockLostException}) propagates too, and the redelivery
 * then meets the duplicate-detected retry. Event publishing is best effort: a failure is logged,
 * never thrown.
 *
 * <p>Ordering note for session queues: the retry is enqueued behind the session's later messages,
 * so a failed write-back is retried after write-backs of the same integration that were queued
 * behind it.
 *
 * <p>Thread-safe if the queue and publisher are.
 */
public final class JobSettlement {

    private static final Logger LOG = LoggerFactory.getLogger(JobSettlement.class);

    private final JobQueue queue;
    private final JobFailurePolicy policy;
    private final EventPublisher events;
    private final Clock clock;

    public JobSettlement(JobQueue queue, JobFailurePolicy policy, EventPublisher events, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Decides and applies the outcome of a failed inbound job; returns the decision for logs and metrics. */
    public FailureDecision settleFailure(LockedMessage received, SyncJobMessage job, Throwable error, RetrySettings overrides) {
        return settleFailure(received, QueuedJob.of(job), error, overrides);
    }

    /** Decides and applies the outcome of a failed write-back; returns the decision for logs and metrics. */
    public FailureDecision settleFailure(LockedMessage received, WriteBackMessage job, Throwable error, RetrySettings overrides) {
        return settleFailure(received, QueuedJob.of(job), error, overrides);
    }

    /**
     * Decides and applies the outcome of a failed job.
     *
     * @param received the message the job came from, still locked
     * @param job the decoded job
     * @param error what the attempt failed with
     * @param overrides the integration's retry overrides, or {@code null}
     */
    public FailureDecision settleFailure(LockedMessage received, QueuedJob job, Throwable error, RetrySettings overrides) {
        FailureDecision decision = policy.decide(job.attempt(), error, overrides);
        apply(received, job, decision);
        return decision;
    }

    /** Applies a decision made elsewhere (see the class comment for what each one does). */
    public void apply(LockedMessage received, QueuedJob job, FailureDecision decision) {
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(job, "job");
        switch (Objects.requireNonNull(decision, "decision")) {
            case FailureDecision.Retry retry -> retry(received, job, retry);
            case FailureDecision.DeadLetter dead -> deadLetter(received, job, dead);
        }
    }

    /**
     * Dead-letters a message whose body is not a job ({@link DeadLetterReasons#MESSAGE_UNREADABLE});
     * retrying cannot help. Announces it when the message's properties name the integration.
     */
    public void rejectUnreadable(LockedMessage received, RuntimeException decodeError) {
        Objects.requireNonNull(received, "received");
        String error = JobFailurePolicy.describe(decodeError);
        String description = "unreadable job body on delivery " + received.deliveryCount() + "; last error: " + error
                + "; correlationId=" + received.correlationId();
        queue.deadLetter(received, DeadLetterReasons.MESSAGE_UNREADABLE, description);
        String tenant = received.properties().get(QueuedJob.PROPERTY_TENANT_ID);
        String integration = received.properties().get(QueuedJob.PROPERTY_INTEGRATION_ID);
        if (tenant == null || integration == null) {
            LOG.atWarn().setMessage("dead-lettered an unreadable job that names no integration; no notification sent")
                    .addKeyValue("queue", received.queue()).addKeyValue("messageId", received.messageId())
                    .addKeyValue("error", error).log();
            return;
        }
        publish(new SyncEvent.DeadLettered(TenantId.of(tenant), IntegrationId.of(integration), received.queue(), received.messageId(),
                DeadLetterReasons.MESSAGE_UNREADABLE, error, 0, clock.instant(), received.correlationId()));
    }

    /**
     * The message id of the retry that follows {@code receivedMessageId} as attempt
     * {@code nextAttempt}: a name-based UUID, so it is stable across redeliveries, distinct per
     * job and attempt, and within Service Bus's 128-character limit.
     */
    public static String retryMessageId(String correlationId, String receivedMessageId, int nextAttempt) {
        String name = "retry|" + correlationId + "|" + receivedMessageId + "|" + nextAttempt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void retry(LockedMessage received, QueuedJob job, FailureDecision.Retry retry) {
        QueuedJob next = job.nextAttempt(retry.at());
        OutgoingMessage out = new OutgoingMessage(
                retryMessageId(job.correlationId(), received.messageId(), retry.nextAttempt()),
                received.sessionId(),
                next.toBytes(),
                job.correlationId(),
                retry.at(),
                null,
                next.properties());
        queue.send(received.queue(), out);
        queue.complete(received);
    }

    private void deadLetter(LockedMessage received, QueuedJob job, FailureDecision.DeadLetter dead) {
        queue.deadLetter(received, dead.reason(), dead.description(job.correlationId()));
        publish(new SyncEvent.DeadLettered(job.tenantId(), job.integrationId(), received.queue(), received.messageId(),
                dead.reason(), dead.lastError(), dead.attempt(), clock.instant(), job.correlationId()));
    }

    private void publish(SyncEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("could not publish dead-letter notification")
                    .addKeyValue("integrationId", event.integrationId())
                    .addKeyValue("error", e.toString()).log();
        }
    }
}
