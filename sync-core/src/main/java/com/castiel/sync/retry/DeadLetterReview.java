package com.castiel.sync.retry;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.JobQueue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of dead letters (the seed's {@code reviewDeadLetters}): list them decoded,
 * replay them with a fresh attempt count, purge them, and announce new ones.
 *
 * <p><b>Announcements.</b> Dead letters the engine makes itself ({@link JobSettlement}) are
 * announced when they are made; the broker's own ({@code MaxDeliveryCountExceeded},
 * {@code TTLExpiredException}) are found only here. {@link #announceNew} publishes one
 * {@link SyncEvent.DeadLettered} ({@code SYNC_DEAD_LETTER}) for each broker-made dead letter it
 * has not announced before. The record of what was announced lives in this object (the
 * {@link JobQueue} port cannot mark a dead letter), so a new process announces the broker-made
 * dead letters still present once more; dead letters without any identifiable integration are
 * logged instead of announced.
 *
 * <p>Thread-safe if the queue and publisher are.
 */
public final class DeadLetterReview {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReview.class);

    private final JobQueue queue;
    private final EventPublisher events;
    private final Clock clock;
    private final ReentrantLock announcing = new ReentrantLock();
    /** Guarded by {@link #announcing}. */
    private final Set<Key> announced = new HashSet<>();

    public DeadLetterReview(JobQueue queue, EventPublisher events, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The oldest {@code limit} dead letters of a queue, decoded. */
    public List<DeadLetterEntry> list(String queueName, int limit) {
        requirePositive(limit);
        return queue.deadLetters(queueName, limit).stream().map(DeadLetterReview::entry).toList();
    }

    /**
     * Moves a dead letter back to its queue as attempt 1 (the job's attempt counter is reset in
     * the body; the broker's delivery count starts afresh). A body that is not a readable job is
     * replayed unchanged, for the case where the reader has since been fixed.
     *
     * @return false when the queue has no such dead letter
     */
    public boolean replay(String queueName, long sequenceNumber) {
        return queue.replayDeadLetter(queueName, sequenceNumber, this::resetAttempts);
    }

    /** Replays the oldest {@code limit} dead letters of a queue; returns how many were replayed. */
    public int replayAll(String queueName, int limit) {
        requirePositive(limit);
        int replayed = 0;
        for (DeadLetter d : queue.deadLetters(queueName, limit)) {
            if (replay(queueName, d.sequenceNumber())) {
                replayed++;
            }
        }
        return replayed;
    }

    /** Deletes one dead letter; returns whether it existed. */
    public boolean purge(String queueName, long sequenceNumber) {
        return queue.purgeDeadLetters(queueName, sequenceNumber) > 0;
    }

    /** Deletes every dead letter of a queue; returns how many. */
    public int purgeAll(String queueName) {
        return queue.purgeDeadLetters(queueName, null);
    }

    /**
     * Announces the broker-made dead letters among the oldest {@code limit} of each queue that
     * this object has not announced yet; call it on a review tick.
     *
     * @return the notifications published
     */
    public int announceNew(Collection<String> queueNames, int limit) {
        requirePositive(limit);
        // a lock, not synchronized: the body reads the queue and publishes, and a virtual thread
        // blocked in I/O inside a monitor pins its carrier on Java 21
        announcing.lock();
        try {
            return announceNewLocked(queueNames, limit);
        } finally {
            announcing.unlock();
        }
    }

    private int announceNewLocked(Collection<String> queueNames, int limit) {
        int published = 0;
        for (String name : queueNames) {
            List<DeadLetter> present = queue.deadLetters(name, limit);
            Set<Key> seen = new HashSet<>();
            for (DeadLetter d : present) {
                Key key = new Key(name, d.sequenceNumber(), d.messageId());
                seen.add(key);
                if (DeadLetterReasons.isEngineReason(d.reason()) || announced.contains(key)) {
                    continue;
                }
                if (announce(d)) {
                    published++;
                }
                // also remembered when it could not be announced, so the warning is not repeated every tick
                announced.add(key);
            }
            // forget what was replayed or purged, so the set stays as small as the dead-letter queue
            announced.removeIf(k -> k.queue().equals(name) && !seen.contains(k) && present.size() < limit);
        }
        return published;
    }

    private boolean announce(DeadLetter d) {
        DeadLetterEntry e = entry(d);
        if (e.tenantId() == null || e.integrationId() == null) {
            LOG.atWarn().setMessage("dead letter names no integration; not announced")
                    .addKeyValue("queue", d.queue()).addKeyValue("sequenceNumber", d.sequenceNumber())
                    .addKeyValue("reason", d.reason()).log();
            return false;
        }
        try {
            events.publish(new SyncEvent.DeadLettered(e.tenantId(), e.integrationId(), d.queue(), d.messageId(), d.reason(),
                    d.description(), e.attempts(), clock.instant(), e.correlationId()));
            return true;
        } catch (RuntimeException ex) {
            LOG.atWarn().setMessage("could not publish dead-letter notification")
                    .addKeyValue("integrationId", e.integrationId()).addKeyValue("error", ex.getClass().getSimpleName()).log();
            return false;
        }
    }

    private byte[] resetAttempts(byte[] body) {
        try {
            return QueuedJob.decode(body).replayed(clock.instant()).toBytes();
        } catch (IllegalArgumentException e) {
            return body;
        }
    }

    static DeadLetterEntry entry(DeadLetter d) {
        try {
            QueuedJob job = QueuedJob.decode(d.body());
            String correlationId = d.correlationId() != null ? d.correlationId() : job.correlationId();
            return switch (job) {
                case QueuedJob.Inbound in -> new DeadLetterEntry(d.queue(), d.sequenceNumber(), d.messageId(), correlationId,
                        in.tenantId(), in.integrationId(), in.provider(), in.message().jobType(), null, null,
                        in.attempt(), d.deliveryCount(), d.reason(), d.description(), d.deadLetteredAt(), null);
                case QueuedJob.Outbound out -> new DeadLetterEntry(d.queue(), d.sequenceNumber(), d.messageId(), correlationId,
                        out.tenantId(), out.integrationId(), out.provider(), null, out.message().operation(), out.message().shardId(),
                        out.attempt(), d.deliveryCount(), d.reason(), d.description(), d.deadLetteredAt(), null);
            };
        } catch (RuntimeException e) {
            return new DeadLetterEntry(d.queue(), d.sequenceNumber(), d.messageId(), d.correlationId(),
                    property(d, QueuedJob.PROPERTY_TENANT_ID, TenantId::of), property(d, QueuedJob.PROPERTY_INTEGRATION_ID, IntegrationId::of),
                    null, null, null, null, 0, d.deliveryCount(), d.reason(), d.description(), d.deadLetteredAt(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static <T> T property(DeadLetter d, String name, java.util.function.Function<String, T> parse) {
        String v = d.properties().get(name);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    private record Key(String queue, long sequenceNumber, String messageId) {
    }
}
