package com.castiel.sync.engine;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.RunLease;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Leases on running an integration's scheduled sync, kept in the integration document and
 * changed only by compare-and-set on its version, so hosts sharing a store (several Functions
 * instances, or a standalone process and an operator tool) never run two scheduled syncs of one
 * integration at once. A lease lapses unless renewed, so a host that dies frees it by itself.
 */
public final class RunLeases {

    /** How long a lease lasts without renewal; runs renew it when a third of it has passed. */
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    private static final int CAS_ATTEMPTS = 8;

    private final IntegrationStore integrations;
    private final Clock clock;
    private final Duration duration;

    public RunLeases(IntegrationStore integrations, Clock clock, Duration duration) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.duration = Objects.requireNonNull(duration, "duration");
    }

    public Duration duration() {
        return duration;
    }

    /**
     * Takes the lease for {@code owner} unless someone else holds it.
     *
     * @return the integration as stored with the lease, or empty when another owner holds it
     *     (see {@link #remaining})
     */
    public Optional<Integration> acquire(Integration integration, String owner) {
        return change(integration, owner, true);
    }

    /**
     * Extends the lease of {@code owner}.
     *
     * @return false when the lease was lost (taken by another owner after it lapsed, or removed)
     */
    public boolean renew(Integration integration, String owner) {
        return change(integration, owner, false).isPresent();
    }

    /** Gives the lease up if {@code owner} holds it; never fails the caller. */
    public void release(Integration integration, String owner) {
        Integration current = integration;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            RunLease lease = current.structuredData().runLease();
            if (lease == null || !lease.owner().equals(owner)) {
                return;
            }
            try {
                integrations.update(current.withData(d -> d.withRunLease(null)));
                return;
            } catch (StoreConflictException e) {
                Optional<Integration> reread = integrations.get(integration.tenantId(), integration.id());
                if (reread.isEmpty()) {
                    return;
                }
                current = reread.get();
            }
        }
    }

    /** How long until the lease held by someone other than {@code owner} lapses (zero when free). */
    public Duration remaining(Integration integration, String owner) {
        RunLease lease = integration.structuredData().runLease();
        Instant now = clock.instant();
        if (lease == null || !lease.heldByOtherThan(owner, now)) {
            return Duration.ZERO;
        }
        return Duration.between(now, lease.until());
    }

    private Optional<Integration> change(Integration integration, String owner, boolean mayTake) {
        Integration current = integration;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Instant now = clock.instant();
            RunLease lease = current.structuredData().runLease();
            if (lease != null && lease.heldByOtherThan(owner, now)) {
                return Optional.empty();
            }
            if (!mayTake && (lease == null || !lease.owner().equals(owner))) {
                return Optional.empty();
            }
            try {
                return Optional.of(integrations.update(current.withData(d -> d.withRunLease(new RunLease(owner, now.plus(duration))))));
            } catch (StoreConflictException e) {
                // Someone else changed the document (the scheduler moving nextSyncAt, another host): look again.
                Optional<Integration> reread = integrations.get(integration.tenantId(), integration.id());
                if (reread.isEmpty()) {
                    return Optional.empty();
                }
                current = reread.get();
            }
        }
        return Optional.empty();
    }
}
