package com.castiel.sync.engine;

import com.castiel.sync.inbound.RunGuard;
import com.castiel.sync.model.Integration;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a run's lease alive from the run itself: every check (before each page and the sweep)
 * renews the lease once a third of it has passed, and stops the run if the lease was lost. No
 * background thread, so the lease lives exactly as long as the run makes progress.
 */
final class LeaseGuard implements RunGuard {

    private final RunLeases leases;
    private final IntegrationStore integrations;
    private final Clock clock;
    private final String owner;
    private Integration integration;
    private Instant renewedAt;

    LeaseGuard(RunLeases leases, IntegrationStore integrations, Clock clock, Integration leased, String owner) {
        this.leases = leases;
        this.integrations = integrations;
        this.clock = clock;
        this.integration = leased;
        this.owner = owner;
        this.renewedAt = clock.instant();
    }

    @Override
    public void check() {
        Instant now = clock.instant();
        if (Duration.between(renewedAt, now).compareTo(leases.duration().dividedBy(3)) < 0) {
            return;
        }
        Integration current = integrations.get(integration.tenantId(), integration.id()).orElse(integration);
        if (!leases.renew(current, owner)) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "the run of integration " + integration.id()
                    + " lost its lease (another host took the integration over); it stops here and leaves its checkpoint",
                    null, SyncException.Details.NONE, null);
        }
        integration = integrations.get(integration.tenantId(), integration.id()).orElse(current);
        renewedAt = now;
    }

    /** The integration as last seen with the lease. */
    Integration integration() {
        return integration;
    }
}
