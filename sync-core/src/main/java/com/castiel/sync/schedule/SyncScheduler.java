package com.castiel.sync.schedule;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.FrequencyType;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.retry.QueuedJob;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds due integrations and enqueues their syncs (the seed's {@code SyncScheduler} timer, run
 * every minute by the hosts). Several schedulers may tick at once against one store.
 *
 * <p>One {@link #tick()}:
 * <ol>
 *   <li>asks the store for at most {@code batchSize} due integrations
 *       ({@link IntegrationStore#findDue}, indexed on status and {@code nextSyncAt});</li>
 *   <li>claims each by a compare-and-set update of {@code nextSyncAt} to the next slot after now
 *       ({@link SyncSchedule#nextSlot}); a scheduler whose update loses the race skips it, so two
 *       schedulers never enqueue the same slot;</li>
 *   <li>sends a {@link SyncJobMessage} (full or incremental per {@link SyncSchedule#jobTypeFor},
 *       attempt 1, a fresh correlation id, {@code triggeredBy = scheduler}) to
 *       {@code sync-inbound-scheduled} with a message id derived from the integration id and the
 *       claimed slot, so a repeated send of one slot is dropped by duplicate detection;</li>
 *   <li>publishes {@link SyncEvent.SyncScheduled} (best effort).</li>
 * </ol>
 *
 * <p>{@code paused} and {@code needs_reauth} integrations are never scheduled, even if a store
 * reports them. {@code manual} integrations reported due (a new one has no {@code nextSyncAt})
 * are parked at {@link SyncSchedule#NEVER} without a sync, so they do not crowd out the bounded
 * due query. If the enqueue fails after the claim, the claim is rolled back (another
 * compare-and-set restoring the old {@code nextSyncAt}) so the next tick tries again. An
 * invalid frequency is logged and deferred by {@link #INVALID_FREQUENCY_DEFERRAL}.
 *
 * <p>Not a runner: the host calls {@link #tick()} on its timer. Thread-safe if the ports are.
 */
public final class SyncScheduler {

    /** Who scheduled jobs are triggered by, in {@code SyncJobMessage.triggeredBy}. */
    public static final String TRIGGERED_BY = "scheduler";

    /** Default number of due integrations claimed per tick. */
    public static final int DEFAULT_BATCH_SIZE = 100;

    /** How long an integration with an unusable frequency waits before it is looked at again. */
    public static final Duration INVALID_FREQUENCY_DEFERRAL = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final IntegrationStore store;
    private final JobQueue queue;
    private final EventPublisher events;
    private final SyncSchedule schedule;
    private final Clock clock;
    private final int batchSize;
    private final String queueName;

    /**
     * @param batchSize most integrations claimed per tick; the rest wait for the next tick
     */
    public SyncScheduler(IntegrationStore store, JobQueue queue, EventPublisher events, SyncSchedule schedule, Clock clock, int batchSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.events = Objects.requireNonNull(events, "events");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (batchSize < 1) {
            throw new IllegalArgumentException("scheduler batchSize must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.queueName = QueueSpec.INBOUND_SCHEDULED.name();
    }

    public SyncScheduler(IntegrationStore store, JobQueue queue, EventPublisher events, Clock clock) {
        this(store, queue, events, new SyncSchedule(), clock, DEFAULT_BATCH_SIZE);
    }

    /**
     * Claims and enqueues the integrations due now.
     *
     * @throws RuntimeException when the due query itself fails; per-integration failures are
     *     counted in the summary instead
     */
    public TickSummary tick() {
        Instant now = clock.instant();
        List<Integration> due = store.findDue(now, batchSize);
        int claimed = 0;
        int skipped = 0;
        int parked = 0;
        int lost = 0;
        int failed = 0;
        for (Integration integration : due) {
            Claim outcome;
            try {
                outcome = claim(integration, now);
            } catch (RuntimeException e) {
                // one integration's store failure must not starve the rest of the batch
                LOG.atError().setMessage("could not claim a due integration").addKeyValue("integrationId", integration.id())
                        .addKeyValue("error", e.toString()).log();
                outcome = Claim.FAILED;
            }
            switch (outcome) {
                case CLAIMED -> claimed++;
                case SKIPPED -> skipped++;
                case PARKED -> parked++;
                case LOST -> lost++;
                case FAILED -> failed++;
            }
        }
        TickSummary summary = new TickSummary(due.size(), claimed, skipped, parked, lost, failed);
        if (!due.isEmpty()) {
            LOG.atDebug().setMessage("scheduler tick").addKeyValue("due", summary.due()).addKeyValue("claimed", claimed)
                    .addKeyValue("skipped", skipped).addKeyValue("parked", parked).addKeyValue("lostRaces", lost)
                    .addKeyValue("failed", failed).log();
        }
        return summary;
    }

    /**
     * Enqueues a sync now, outside the schedule (an operator's "sync now", the only way a
     * {@code manual} integration runs). Leaves {@code nextSyncAt} alone.
     *
     * @param jobType the job type, or {@code null} to let {@link SyncSchedule#jobTypeFor} choose
     * @param triggeredBy user id or {@code system}
     * @return the job sent
     * @throws NoSuchElementException when the integration does not exist
     * @throws IllegalStateException when the integration is not {@code active}
     */
    public SyncJobMessage requestSync(TenantId tenant, IntegrationId id, JobType jobType, String triggeredBy) {
        Integration integration = store.get(tenant, id)
                .orElseThrow(() -> new NoSuchElementException("integration '" + id + "' does not exist in tenant '" + tenant + "'"));
        if (integration.status() != IntegrationStatus.ACTIVE) {
            throw new IllegalStateException("integration '" + id + "' is " + integration.status().wire()
                    + "; only active integrations can be synced");
        }
        if (jobType == JobType.WEBHOOK) {
            throw new IllegalArgumentException("jobType must be full_sync or incremental; webhook jobs come from the webhook receiver");
        }
        Instant now = clock.instant();
        JobType type = jobType != null ? jobType : schedule.jobTypeFor(integration.structuredData(), now);
        SyncJobMessage job = job(integration, type, now, Objects.requireNonNull(triggeredBy, "triggeredBy"));
        queue.send(queueName, outgoing(job, Ids.timeOrdered(now)));
        publishScheduled(job, now);
        return job;
    }

    /** The message id of the scheduled sync for {@code slot} ({@code null} for a never-scheduled integration at {@code version}). */
    public static String slotMessageId(IntegrationId id, Instant slot, long version) {
        String name = "scheduled|" + id.value() + "|" + (slot != null ? slot.toString() : "unscheduled@v" + version);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private enum Claim { CLAIMED, SKIPPED, PARKED, LOST, FAILED }

    private Claim claim(Integration integration, Instant now) {
        if (integration.status() != IntegrationStatus.ACTIVE) {
            return Claim.SKIPPED;
        }
        Instant slot = integration.structuredData().nextSyncAt();
        if (slot != null && slot.isAfter(now)) {
            // the store's due query and this clock disagree; trust the clock and leave it
            return Claim.SKIPPED;
        }
        Optional<Instant> next;
        try {
            next = schedule.nextSlot(integration.structuredData().syncFrequency(), slot, now);
        } catch (IllegalArgumentException e) {
            LOG.atError().setMessage("integration has an unusable sync frequency; deferred")
                    .addKeyValue("integrationId", integration.id()).addKeyValue("tenantId", integration.tenantId())
                    .addKeyValue("error", e.getMessage()).log();
            return write(integration, now.plus(INVALID_FREQUENCY_DEFERRAL)).isPresent() ? Claim.FAILED : Claim.LOST;
        }
        if (integration.structuredData().syncFrequency().type() == FrequencyType.MANUAL || next.isEmpty()) {
            return write(integration, SyncSchedule.NEVER).isPresent() ? Claim.PARKED : Claim.LOST;
        }
        Optional<Integration> won = write(integration, next.get());
        if (won.isEmpty()) {
            return Claim.LOST;
        }
        JobType type = schedule.jobTypeFor(integration.structuredData(), now);
        SyncJobMessage job = job(integration, type, now, TRIGGERED_BY);
        try {
            queue.send(queueName, outgoing(job, slotMessageId(integration.id(), slot, integration.version())));
        } catch (RuntimeException e) {
            rollBack(won.get(), slot, e);
            return Claim.FAILED;
        }
        publishScheduled(job, now);
        return Claim.CLAIMED;
    }

    private Optional<Integration> write(Integration integration, Instant nextSyncAt) {
        try {
            return Optional.of(store.update(integration.withData(d -> d.withNextSyncAt(nextSyncAt))));
        } catch (StoreConflictException e) {
            return Optional.empty();
        }
    }

    private void rollBack(Integration claimed, Instant slot, RuntimeException cause) {
        try {
            store.update(claimed.withData(d -> d.withNextSyncAt(slot)));
            LOG.atWarn().setMessage("could not enqueue a scheduled sync; claim rolled back for the next tick")
                    .addKeyValue("integrationId", claimed.id()).addKeyValue("error", cause.toString()).log();
        } catch (RuntimeException e) {
            LOG.atError().setMessage("could not enqueue a scheduled sync nor roll back its claim; the slot is skipped")
                    .addKeyValue("integrationId", claimed.id()).addKeyValue("error", cause.toString())
                    .addKeyValue("rollbackError", e.toString()).log();
        }
    }

    private static SyncJobMessage job(Integration integration, JobType type, Instant now, String triggeredBy) {
        return new SyncJobMessage(integration.id(), integration.tenantId(), type, integration.provider(), null, List.of(),
                now, 1, Ids.timeOrdered(now), triggeredBy);
    }

    private static OutgoingMessage outgoing(SyncJobMessage job, String messageId) {
        QueuedJob queued = QueuedJob.of(job);
        return new OutgoingMessage(messageId, null, queued.toBytes(), job.correlationId(), null, null, queued.properties());
    }

    private void publishScheduled(SyncJobMessage job, Instant now) {
        try {
            events.publish(new SyncEvent.SyncScheduled(job.tenantId(), job.integrationId(), job.provider(), job.jobType(), now, job.correlationId()));
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("could not publish SyncScheduled").addKeyValue("integrationId", job.integrationId())
                    .addKeyValue("error", e.getClass().getSimpleName()).log();
        }
    }
}
