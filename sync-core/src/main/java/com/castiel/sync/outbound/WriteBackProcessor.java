package com.castiel.sync.outbound;

import com.castiel.sync.registry.AdapterSource;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.metrics.SyncMetrics;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.retry.FailureDecision;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.retry.QueuedJob;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.transform.RecordMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes write-back messages from {@code sync-outbound}, one session (= one integration) at a
 * time, strictly in order: the same way in both shells.
 *
 * <h2>A session turn</h2>
 * The processor holds the session exclusively and gathers consecutive messages (waiting
 * {@link OutboundSettings#batchWait()} for each further one) until it has as many distinct shards
 * as the provider takes in one batch call ({@code min(adapter.maxBatchSize(), writeBack.batchSize)}).
 * Messages of one shard are coalesced ({@link CoalescedChange}); a message after a delete of the
 * same shard waits for the next batch. The batch is then planned and written
 * ({@link BatchExecution}), the results are recorded on the shards' relationships, and every
 * message is settled: completed when its change was written, merged, parked as a conflict or had
 * nothing to do; dead-lettered with its reason (the error code, e.g. {@code VALIDATION_ERROR} or
 * {@code NOT_FOUND}) when its record failed for good, which never holds up the others.
 *
 * <h2>Transient failures keep order</h2>
 * Rescheduling a failed message would put it behind later messages of its session, so transient
 * failures (timeouts, 5xx, rate limits, a paused integration, a shard store that keeps
 * conflicting) are retried inside the held session: the processor sleeps with the integration's
 * backoff (honouring {@code Retry-After}) through the injected {@link Sleeper}, renewing the locks
 * of every held message, and tries the failed changes again. After
 * {@link OutboundSettings#inSessionRetries()} retries it abandons every unsettled message and
 * releases the session: the queue redelivers them, first and in order, and the delivery count
 * eventually dead-letters a message that never succeeds ({@code MaxDeliveryCountExceeded}).
 *
 * <h2>Idempotence</h2>
 * A change is planned from the shard's current state and the relationship's last synced values,
 * so a message delivered again after its write succeeded finds nothing left to write. A create
 * repeated after a crash between the provider's answer and the store update would create a
 * second record, unless the mapping names an {@code externalIdField} and the adapter upserts.
 *
 * <p>Thread-safe: one instance serves every session; each call processes one session on the
 * calling thread. Run one call per virtual thread to process sessions in parallel.
 */
public final class WriteBackProcessor {

    private static final Logger log = LoggerFactory.getLogger(WriteBackProcessor.class);
    private static final String QUEUE = QueueSpec.OUTBOUND.name();

    private final IntegrationStore integrations;
    private final ShardStore shards;
    private final AdapterSource adapters;
    private final JobQueue queue;
    private final JobFailurePolicy failurePolicy;
    private final JobSettlement settlement;
    private final EventPublisher events;
    private final SyncMetrics metrics;
    private final Clock clock;
    private final Sleeper sleeper;
    private final OutboundSettings settings;
    private final Duration lockDuration;

    /**
     * @param failurePolicy backoff of in-session retries and the attempt count in dead-letter
     *     descriptions
     * @param sleeper waits between in-session retries (a manual sleeper in tests)
     */
    public WriteBackProcessor(IntegrationStore integrations, ShardStore shards, AdapterSource adapters, JobQueue queue,
                              JobFailurePolicy failurePolicy, EventPublisher events, SyncMetrics metrics, Clock clock, Sleeper sleeper,
                              OutboundSettings settings) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
        this.events = Objects.requireNonNull(events, "events");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.settlement = new JobSettlement(queue, failurePolicy, events, clock);
        this.lockDuration = QueueSpec.OUTBOUND.lockDuration();
    }

    /**
     * Accepts the next session of {@code sync-outbound} that has work, waiting up to
     * {@code maxWait}, and processes it.
     *
     * @return the turn's outcome, or empty when no session had work
     */
    public Optional<SessionOutcome> processNextSession(Duration maxWait) {
        return queue.acceptSession(QUEUE, maxWait).map(this::processSession);
    }

    /**
     * Processes an accepted session until it has no visible message, or for at most
     * {@link OutboundSettings#maxBatchesPerSession()} batches, then releases it (closes the
     * receiver). Never throws for a failed write: failures end up in the outcome, the
     * relationships and the dead-letter queue. A lost lock ends the turn early; the queue
     * redelivers what was not settled.
     *
     * @throws RuntimeException only when the queue or a store fails outside a batch (receiving,
     *     settling); the receiver is closed and the queue redelivers what was not settled
     */
    public SessionOutcome processSession(JobQueue.SessionReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        try (receiver) {
            return new SessionTurn(receiver).run();
        }
    }

    /** One turn on one session. Confined to the calling thread. */
    private final class SessionTurn {
        private final JobQueue.SessionReceiver receiver;
        private final IntegrationId integrationId;
        private final Deque<Delivery> held = new ArrayDeque<>();
        private final Set<Delivery> inFlight = new LinkedHashSet<>();
        private TenantId tenant;
        private Integration integration;
        private ProviderAdapter adapter;
        private long adapterVersion = Long.MIN_VALUE;
        private int batchLimit;
        private int received;
        private int completed;
        private int deadLettered;
        private int abandoned;
        private int written;
        private int failed;
        private int parked;
        private boolean released;
        private boolean lockLost;

        SessionTurn(JobQueue.SessionReceiver receiver) {
            this.receiver = receiver;
            this.integrationId = parseSession(receiver.sessionId());
            this.batchLimit = settings.maxMessagesPerBatch();
        }

        /** The integration a session belongs to, or {@code null} for a session id that is no integration id (its messages are dead-lettered). */
        private static IntegrationId parseSession(String sessionId) {
            try {
                return IntegrationId.of(sessionId);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        SessionOutcome run() {
            try {
                for (int batch = 0; batch < settings.maxBatchesPerSession(); batch++) {
                    fill();
                    if (held.isEmpty()) {
                        break;
                    }
                    if (!process(takeBatch())) {
                        released = true;
                        abandonAllUnsettled();
                        break;
                    }
                }
                abandonAllUnsettled();
            } catch (MessageLockLostException e) {
                lockLost = true;
                log.warn("lost the lock of write-back session {} ({}); unsettled messages will be redelivered", integrationId, e.getMessage());
            } finally {
                closeAdapter();
            }
            return new SessionOutcome(receiver.sessionId(), received, completed, deadLettered, abandoned, written, failed, parked, released, lockLost);
        }

        /** Receives until the next batch is complete: enough distinct shards, the message cap, or no more messages. */
        private void fill() {
            Set<String> keys = new HashSet<>();
            held.forEach(d -> keys.add(CoalescedChange.keyOf(d.message())));
            while (held.size() < settings.maxMessagesPerBatch() && keys.size() <= batchLimit) {
                // Each message adds at most one shard, so this many cannot overshoot the batch; the
                // first message alone until the provider's batch size is known.
                int want = integration == null ? 1 : Math.min(settings.maxMessagesPerBatch() - held.size(), batchLimit + 1 - keys.size());
                List<LockedMessage> next = receiver.receiveBatch(want, settings.batchWait());
                if (next.isEmpty()) {
                    return;
                }
                for (LockedMessage m : next) {
                    received++;
                    Delivery d = decode(m);
                    if (d != null) {
                        held.add(d);
                        keys.add(CoalescedChange.keyOf(d.message()));
                        if (integration == null) {
                            prepareForBatching();
                        }
                    }
                }
            }
        }

        private Delivery decode(LockedMessage m) {
            QueuedJob job;
            try {
                job = QueuedJob.decode(m.body());
            } catch (IllegalArgumentException e) {
                settlement.rejectUnreadable(m, e);
                deadLettered++;
                return null;
            }
            if (!(job instanceof QueuedJob.Outbound outbound)) {
                settlement.rejectUnreadable(m, new IllegalArgumentException("a sync job arrived on " + QUEUE + ", which carries write-backs only"));
                deadLettered++;
                return null;
            }
            WriteBackMessage message = outbound.message();
            String mismatch = null;
            if (integrationId == null || !message.integrationId().equals(integrationId)) {
                mismatch = "write-back for integration " + message.integrationId() + " arrived in session " + integrationId
                        + "; the session id must be the integration id";
            } else if (tenant != null && !tenant.equals(message.tenantId())) {
                mismatch = "write-back for tenant " + message.tenantId() + " arrived in the session of integration " + integrationId
                        + " of tenant " + tenant;
            }
            if (mismatch != null) {
                deadLetter(new Delivery(m, message), new SyncException.Configuration(mismatch));
                return null;
            }
            tenant = message.tenantId();
            return new Delivery(m, message);
        }

        /** Takes the coalescable prefix of the held messages, at most {@code batchLimit} distinct shards. */
        private List<CoalescedChange> takeBatch() {
            Map<String, CoalescedChange> byKey = new LinkedHashMap<>();
            while (!held.isEmpty()) {
                Delivery d = held.peek();
                String key = CoalescedChange.keyOf(d.message());
                CoalescedChange change = byKey.get(key);
                if (change == null) {
                    if (byKey.size() >= batchLimit) {
                        break;
                    }
                    byKey.put(key, new CoalescedChange(d));
                } else if (!change.add(d)) {
                    break;
                }
                held.poll();
                inFlight.add(d);
            }
            return new ArrayList<>(byKey.values());
        }

        /**
         * Processes a batch, retrying transient failures in the session.
         *
         * @return false when the session must be released (retries exhausted or interrupted)
         */
        private boolean process(List<CoalescedChange> batch) {
            List<CoalescedChange> pending = batch;
            for (int attempt = 1; ; attempt++) {
                Map<CoalescedChange, ChangeOutcome> outcomes = attempt(pending);
                List<CoalescedChange> retry = new ArrayList<>();
                RuntimeException retryError = null;
                Map<CoalescedChange, ChangeOutcome.Completed> done = new LinkedHashMap<>();
                Map<CoalescedChange, ChangeOutcome.Failed> failed = new LinkedHashMap<>();
                for (Map.Entry<CoalescedChange, ChangeOutcome> e : outcomes.entrySet()) {
                    switch (e.getValue()) {
                        case ChangeOutcome.Completed c -> done.put(e.getKey(), c);
                        case ChangeOutcome.Failed f -> failed.put(e.getKey(), f);
                        case ChangeOutcome.Retry r -> {
                            retry.add(e.getKey());
                            retryError = r.error();
                        }
                    }
                }
                complete(done);
                failed.forEach(this::fail);
                if (retry.isEmpty()) {
                    return true;
                }
                FailureDecision decision = failurePolicy.decide(attempt, retryError, integration == null ? null : integration.structuredData().retry());
                if (attempt > settings.inSessionRetries() || !(decision instanceof FailureDecision.Retry next)) {
                    log.warn("write-back of {}: {} changes still failing after {} attempts in the session ({}); releasing the session for an in-order redelivery",
                            integrationId, retry.size(), attempt, JobFailurePolicy.describe(retryError));
                    return false;
                }
                log.info("write-back of {}: {} changes failed transiently ({}); retrying in {} ms", integrationId, retry.size(),
                        JobFailurePolicy.describe(retryError), next.delay().toMillis());
                if (!sleepRenewing(next.delay())) {
                    return false;
                }
                pending = retry;
            }
        }

        private Map<CoalescedChange, ChangeOutcome> attempt(List<CoalescedChange> changes) {
            Map<CoalescedChange, ChangeOutcome> outcomes = new LinkedHashMap<>();
            SyncException all = null;
            boolean skipAll = false;
            String skipNote = null;
            try {
                refreshIntegration();
                if (integration == null) {
                    all = new SyncException.NotFound("integration " + integrationId + " of tenant " + tenant + " does not exist",
                            SyncException.Details.NONE);
                } else if (!integration.writeBackEnabled()) {
                    skipAll = true;
                    skipNote = "write-back is disabled on integration " + integrationId;
                } else if (integration.status() != IntegrationStatus.ACTIVE) {
                    all = new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "integration " + integrationId + " is "
                            + integration.status().wire() + "; write-back waits for it to be active again", SyncException.Details.NONE);
                } else {
                    openAdapter();
                }
            } catch (SyncException e) {
                all = e;
            }
            if (all != null || skipAll) {
                for (CoalescedChange c : changes) {
                    outcomes.put(c, skipAll ? ChangeOutcome.Completed.skipped(skipNote)
                            : all.retryable() ? new ChangeOutcome.Retry(all) : new ChangeOutcome.Failed(c.operation(), all));
                }
                return outcomes;
            }
            Map<String, WriteBackPlanner> planners = new HashMap<>();
            Map<String, SyncException> broken = new HashMap<>();
            for (EntityMapping mapping : integration.structuredData().entityMappings()) {
                try {
                    planners.put(mapping.externalEntity(), new WriteBackPlanner(integration, mapping, new RecordMapper(mapping), adapter.capabilities()));
                } catch (SyncException.Configuration e) {
                    broken.put(mapping.externalEntity(), e);
                }
            }
            List<CoalescedChange> runnable = new ArrayList<>();
            for (CoalescedChange c : changes) {
                SyncException mappingError = c.entity() == null ? null : broken.get(c.entity());
                if (mappingError != null) {
                    outcomes.put(c, new ChangeOutcome.Failed(c.operation(), mappingError));
                } else {
                    runnable.add(c);
                }
            }
            Map<CoalescedChange, ChangeOutcome> ran;
            try {
                ran = new BatchExecution(integration, adapter, planners, shards, clock, settings, batchLimit, this::renewIfStale).run(runnable);
            } catch (MessageLockLostException e) {
                throw e;
            } catch (SyncException e) {
                ran = new LinkedHashMap<>();
                for (CoalescedChange c : runnable) {
                    ran.put(c, e.retryable() ? new ChangeOutcome.Retry(e) : new ChangeOutcome.Failed(c.operation(), e));
                }
            } catch (RuntimeException e) {
                // our own storage or a bug: retried like a transient failure, released when it persists
                log.warn("write-back batch of {} failed unexpectedly", integrationId, e);
                ran = new LinkedHashMap<>();
                for (CoalescedChange c : runnable) {
                    ran.put(c, new ChangeOutcome.Retry(e));
                }
            }
            // back in message order
            Map<CoalescedChange, ChangeOutcome> ordered = new LinkedHashMap<>();
            for (CoalescedChange c : changes) {
                ordered.put(c, outcomes.containsKey(c) ? outcomes.get(c) : ran.get(c));
            }
            return ordered;
        }

        /** Learns the provider's batch size early, so the first batch gathers no more shards than one call takes. */
        private void prepareForBatching() {
            refreshIntegration();
            if (integration != null && integration.writeBackEnabled() && integration.status() == IntegrationStatus.ACTIVE) {
                try {
                    openAdapter();
                } catch (SyncException e) {
                    // attempt() meets the same failure again and settles the batch accordingly
                    closeAdapter();
                }
            }
        }

        private void refreshIntegration() {
            if (tenant == null) {
                return;
            }
            integration = integrations.get(tenant, integrationId).orElse(null);
        }

        private void openAdapter() {
            if (adapter != null && adapterVersion == integration.version()) {
                return;
            }
            closeAdapter();
            ProviderAdapter opened = adapters.open(integration);
            Set<Capability> caps = opened.capabilities();
            if (!caps.contains(Capability.WRITE) && !caps.contains(Capability.BATCH_WRITE)) {
                opened.close();
                throw new SyncException.Configuration("the " + integration.provider() + " adapter cannot write records; disable write-back on "
                        + integrationId);
            }
            adapter = opened;
            adapterVersion = integration.version();
            Integer configured = integration.structuredData().writeBack().batchSize();
            // batch calls only where declared: writeBatch is guarded by BATCH_WRITE like every capability
            int max = caps.contains(Capability.BATCH_WRITE) ? Math.max(1, adapter.maxBatchSize()) : 1;
            batchLimit = configured == null ? max : Math.max(1, Math.min(max, configured));
        }

        private void closeAdapter() {
            if (adapter != null) {
                try {
                    adapter.close();
                } catch (RuntimeException e) {
                    log.debug("closing the adapter of {} failed: {}", integrationId, e.toString());
                }
                adapter = null;
            }
        }

        /** Completes the messages of the changes in one settlement, then accounts for each change. */
        private void complete(Map<CoalescedChange, ChangeOutcome.Completed> changes) {
            List<LockedMessage> messages = new ArrayList<>();
            changes.keySet().forEach(change -> change.deliveries().forEach(d -> messages.add(d.locked())));
            queue.completeAll(messages);
            changes.forEach(this::account);
        }

        private void account(CoalescedChange change, ChangeOutcome.Completed done) {
            for (Delivery d : change.deliveries()) {
                inFlight.remove(d);
                completed++;
            }
            if (done.operation() == null) {
                log.debug("write-back of {} completed without a write: {}", change, done.note());
                return;
            }
            if (done.written()) {
                written++;
            }
            boolean conflict = !done.parked().isEmpty();
            if (conflict) {
                parked++;
                publish(new SyncEvent.ConflictDetected(tenant, integrationId, change.shardId().value(), done.externalId(), done.parked(),
                        clock.instant(), change.first().correlationId()));
            }
            metrics.writeBackCompleted(provider(), done.operation(), conflict ? "conflict" : "success", latency(change));
        }

        private void fail(CoalescedChange change, ChangeOutcome.Failed failure) {
            failed++;
            log.info("write-back of {} failed: {}", change, JobFailurePolicy.describe(failure.error()));
            for (Delivery d : change.deliveries()) {
                deadLetter(d, failure.error());
                inFlight.remove(d);
            }
            metrics.writeBackCompleted(provider(), failure.operation() == null ? change.operation() : failure.operation(), "failure", latency(change));
        }

        private void deadLetter(Delivery d, RuntimeException error) {
            WriteBackMessage m = d.message();
            int maxAttempts = failurePolicy.policyFor(integration == null ? null : integration.structuredData().retry()).maxAttempts();
            settlement.apply(d.locked(), QueuedJob.of(m), new FailureDecision.DeadLetter(m.attempt(), maxAttempts, false,
                    JobFailurePolicy.reasonOf(error), JobFailurePolicy.describe(error)));
            deadLettered++;
        }

        /** Sleeps in slices shorter than a lock, renewing every held lock; false when interrupted. */
        private boolean sleepRenewing(Duration delay) {
            Duration slice = lockDuration.dividedBy(2);
            Duration remaining = delay;
            renewAll();
            while (remaining.compareTo(Duration.ZERO) > 0) {
                Duration step = remaining.compareTo(slice) < 0 ? remaining : slice;
                try {
                    sleeper.sleep(step);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                remaining = remaining.minus(step);
                renewAll();
            }
            return true;
        }

        /** Renews every held lock when one of them has used half of its duration (long batches). */
        private void renewIfStale() {
            Instant threshold = clock.instant().plus(lockDuration.dividedBy(2));
            boolean stale = false;
            for (Delivery d : unsettled()) {
                if (d.locked().lockedUntil() != null && d.locked().lockedUntil().isBefore(threshold)) {
                    stale = true;
                    break;
                }
            }
            if (stale) {
                renewAll();
            }
        }

        private void renewAll() {
            for (Delivery d : unsettled()) {
                d.renewed(queue.renewLock(d.locked()));
            }
        }

        private List<Delivery> unsettled() {
            List<Delivery> all = new ArrayList<>(inFlight);
            all.addAll(held);
            return all;
        }

        /** Hands every unsettled message back to the queue in sequence order, so it is redelivered first and in order. */
        private void abandonAllUnsettled() {
            List<Delivery> all = unsettled();
            all.sort(Comparator.comparingLong(d -> d.locked().sequenceNumber()));
            for (Delivery d : all) {
                try {
                    queue.abandon(d.locked());
                    abandoned++;
                } catch (MessageLockLostException e) {
                    // already unlocked: the queue redelivers it anyway
                    log.debug("abandoning {} of session {}: {}", d, integrationId, e.getMessage());
                }
            }
            inFlight.clear();
            held.clear();
        }

        private Duration latency(CoalescedChange change) {
            Instant first = change.deliveries().stream().map(d -> d.message().triggeredAt()).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            Instant now = clock.instant();
            return first == null || first.isAfter(now) ? Duration.ZERO : Duration.between(first, now);
        }

        private String provider() {
            return integration != null ? integration.provider() : null;
        }

        private void publish(SyncEvent event) {
            try {
                events.publish(event);
            } catch (RuntimeException e) {
                log.warn("could not publish {} for {}: {}", event.eventType(), integrationId, e.getMessage());
            }
        }
    }
}
