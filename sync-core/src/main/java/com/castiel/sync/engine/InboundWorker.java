package com.castiel.sync.engine;

import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RetrySettings;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.FailureDecision;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.retry.QueuedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the inbound queues over the {@link JobQueue} port (the standalone shell's workers and
 * tests; the Functions shell gets messages pushed and settles them on Service Bus itself).
 *
 * <p>Per message: decode, run the job, complete it; on failure let {@link JobSettlement} retry it
 * later as the next attempt or dead-letter it. While a job runs its lock is renewed at half the
 * lock duration, so a long full sync is not redelivered to another worker. A scheduled job for an
 * integration that already has a run in progress in this process is deferred, not run twice.
 */
public final class InboundWorker {

    private static final Logger log = LoggerFactory.getLogger(InboundWorker.class);
    static final Duration DEFER_BY = Duration.ofSeconds(30);
    static final Duration MAX_DEFER = Duration.ofMinutes(5);

    private final JobQueue queue;
    private final IntegrationStore integrations;
    private final InboundJobHandler handler;
    private final JobSettlement settlement;
    private final JobReporting reporting;
    private final IntegrationLocks locks;
    private final Clock clock;
    private final ScheduledExecutorService renewals;

    public InboundWorker(JobQueue queue, IntegrationStore integrations, InboundJobHandler handler, JobSettlement settlement,
                         JobReporting reporting, IntegrationLocks locks, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.settlement = Objects.requireNonNull(settlement, "settlement");
        this.reporting = Objects.requireNonNull(reporting, "reporting");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.renewals = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("lock-renewal").factory());
    }

    /**
     * Receives and processes one message of {@code queueName}.
     *
     * @return false when no message arrived within {@code maxWait}
     */
    public boolean processOne(String queueName, Duration maxWait) {
        Optional<LockedMessage> received = queue.receive(queueName, maxWait);
        if (received.isEmpty()) {
            return false;
        }
        process(received.get());
        return true;
    }

    /** Processes a message already received from an inbound queue. */
    public void process(LockedMessage message) {
        SyncJobMessage job;
        try {
            QueuedJob decoded = QueuedJob.decode(message.body());
            if (!(decoded instanceof QueuedJob.Inbound inbound)) {
                throw new IllegalArgumentException("an inbound queue received a write-back message");
            }
            job = inbound.message();
        } catch (RuntimeException e) {
            settlement.rejectUnreadable(message, e);
            return;
        }
        boolean scheduled = job.jobType() != JobType.WEBHOOK;
        if (scheduled && !locks.tryAcquire(job.integrationId())) {
            defer(message, job, DEFER_BY);
            return;
        }
        AtomicReference<LockedMessage> current = new AtomicReference<>(message);
        ScheduledFuture<?> renewal = scheduleRenewal(current);
        Instant started = clock.instant();
        try {
            Optional<InboundOutcome> outcome = handler.handle(job);
            renewal.cancel(false);
            queue.complete(current.get());
            outcome.ifPresent(o -> reporting.completed(job, o));
        } catch (IntegrationBusyException e) {
            // Another host runs this integration: not a failure, so no attempt is spent.
            renewal.cancel(false);
            Duration wait = e.retryAfter().compareTo(DEFER_BY) < 0 ? DEFER_BY : e.retryAfter().compareTo(MAX_DEFER) > 0 ? MAX_DEFER : e.retryAfter();
            defer(current.get(), job, wait);
        } catch (MessageLockLostException e) {
            log.warn("lost the lock on job {} of integration {}; it will be redelivered", job.correlationId(), job.integrationId());
        } catch (RuntimeException e) {
            renewal.cancel(false);
            RetrySettings overrides = integrations.get(job.tenantId(), job.integrationId())
                    .map(Integration::structuredData).map(d -> d.retry()).orElse(null);
            FailureDecision decision = settlement.settleFailure(current.get(), job, e, overrides);
            reporting.failed(job, decision, Duration.between(started, clock.instant()));
        } finally {
            renewal.cancel(false);
            if (scheduled) {
                locks.release(job.integrationId());
            }
        }
    }

    private void defer(LockedMessage message, SyncJobMessage job, Duration by) {
        OutgoingMessage later = OutgoingMessage.of(message.messageId() + "-d" + clock.millis(), message.body())
                .withCorrelationId(job.correlationId())
                .scheduledAt(clock.instant().plus(by));
        queue.send(message.queue(), later);
        queue.complete(message);
        log.debug("deferred {} job of integration {}: a run is in progress", job.jobType().wire(), job.integrationId());
    }

    private ScheduledFuture<?> scheduleRenewal(AtomicReference<LockedMessage> current) {
        long periodMs = Math.max(1000, QueueSpec.named(current.get().queue()).lockDuration().toMillis() / 2);
        return renewals.scheduleAtFixedRate(() -> {
            try {
                current.set(queue.renewLock(current.get()));
            } catch (RuntimeException e) {
                log.warn("could not renew the lock of message {}: {}", current.get().messageId(), e.toString());
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Stops lock renewal; in-flight messages are left to lock expiry. */
    public void close() {
        renewals.shutdownNow();
    }
}
