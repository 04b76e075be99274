package com.castiel.sync.engine;

import com.castiel.sync.registry.AdapterSource;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.inbound.InboundJob;
import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.inbound.InboundSync;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one inbound job message, the same way in both shells: loads the integration, opens its
 * adapter, runs the pipeline, records the sync time on the integration and announces the
 * outcome.
 *
 * <p>Failures are thrown as {@link SyncException}; the caller settles the message (retry with
 * backoff or dead-letter) with the job failure policy. A job for a missing integration fails
 * with {@code NotFound}; a job for a paused or re-auth-needing integration completes as skipped.
 */
public final class InboundJobHandler {

    private static final Logger log = LoggerFactory.getLogger(InboundJobHandler.class);
    private static final int CAS_ATTEMPTS = 5;

    private final IntegrationStore integrations;
    private final AdapterSource adapters;
    private final InboundSync inbound;
    private final JobQueue queue;
    private final EventPublisher events;
    private final Clock clock;
    private final RunLeases leases;

    public InboundJobHandler(IntegrationStore integrations, AdapterSource adapters, InboundSync inbound, JobQueue queue,
                             EventPublisher events, Clock clock) {
        this(integrations, adapters, inbound, queue, events, clock, new RunLeases(integrations, clock, RunLeases.DEFAULT_DURATION));
    }

    public InboundJobHandler(IntegrationStore integrations, AdapterSource adapters, InboundSync inbound, JobQueue queue,
                             EventPublisher events, Clock clock, RunLeases leases) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Handles a job.
     *
     * @return the outcome, or empty when the integration is not active and the job was skipped
     * @throws SyncException when the job failed as a whole
     */
    public Optional<InboundOutcome> handle(SyncJobMessage message) {
        Integration integration = integrations.get(message.tenantId(), message.integrationId())
                .orElseThrow(() -> new SyncException.NotFound("integration " + message.integrationId() + " of tenant "
                        + message.tenantId() + " does not exist", SyncException.Details.NONE));
        if (integration.status() != IntegrationStatus.ACTIVE) {
            log.info("skipping {} job for integration {}: status {}", message.jobType().wire(), integration.id(), integration.status().wire());
            return Optional.empty();
        }
        InboundOutcome outcome;
        if (message.jobType() == JobType.WEBHOOK) {
            try (ProviderAdapter adapter = adapters.open(integration)) {
                outcome = inbound.run(new InboundJob(integration, message.jobType(), message.entities(), message.webhookPayload(),
                        message.correlationId(), message.attempt()), adapter);
            }
        } else {
            // Scheduled runs of one integration must never overlap, on this host or another.
            String owner = "run-" + Ids.secureToken(12);
            Optional<Integration> leased = leases.acquire(integration, owner);
            if (leased.isEmpty()) {
                Integration current = integrations.get(integration.tenantId(), integration.id()).orElse(integration);
                Duration wait = leases.remaining(current, owner);
                throw new IntegrationBusyException(integration.id(), wait.isZero() ? Duration.ofSeconds(30) : wait);
            }
            LeaseGuard guard = new LeaseGuard(leases, integrations, clock, leased.get(), owner);
            try (ProviderAdapter adapter = adapters.open(leased.get())) {
                outcome = inbound.run(new InboundJob(leased.get(), message.jobType(), message.entities(), null,
                        message.correlationId(), message.attempt(), guard), adapter);
            } finally {
                leases.release(integrations.get(integration.tenantId(), integration.id()).orElse(guard.integration()), owner);
            }
        }
        SyncRun run = outcome.run();
        if (message.jobType() != JobType.WEBHOOK) {
            recordSync(integration, outcome);
        }
        if (outcome.truncated()) {
            SyncJobMessage continuation = new SyncJobMessage(integration.id(), integration.tenantId(), run.jobType(), integration.provider(),
                    null, message.entities(), clock.instant(), 1, message.correlationId(), "continuation");
            queue.send(QueueSpec.INBOUND_SCHEDULED.name(),
                    OutgoingMessage.of("cont-" + run.id() + "-" + run.stats().total(), SyncJson.writeBytes(continuation))
                            .withCorrelationId(message.correlationId()));
        }
        publish(new SyncEvent.SyncCompleted(integration.tenantId(), integration.id(), integration.provider(), run.id(), run.jobType(),
                run.stats(), run.duration().toMillis(), clock.instant(), message.correlationId()));
        return Optional.of(outcome);
    }

    private void recordSync(Integration integration, InboundOutcome outcome) {
        Instant finished = outcome.run().finishedAt();
        UnaryOperator<Integration> change = i -> i.withData(d -> {
            var next = outcome.truncated() ? d : d.withLastSyncAt(finished);
            if (outcome.fullScanCompleted()) {
                next = next.withLastFullSyncAt(finished);
            }
            if (outcome.fullResyncRequired()) {
                next = next.withLastFullSyncAt(null);
            }
            return next;
        });
        Integration current = integration;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            try {
                integrations.update(change.apply(current));
                return;
            } catch (StoreConflictException e) {
                // The scheduler moved nextSyncAt meanwhile: re-read and re-apply our fields only.
                Optional<Integration> reread = integrations.get(integration.tenantId(), integration.id());
                if (reread.isEmpty()) {
                    return;
                }
                current = reread.get();
            }
        }
        log.warn("could not record the sync time on integration {} after {} attempts", integration.id(), CAS_ATTEMPTS);
    }

    private void publish(SyncEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            log.warn("could not publish {}: {}", event.eventType(), e.getMessage());
        }
    }
}
