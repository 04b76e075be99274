package com.castiel.sync.hostfixtures;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An integration store in a map with version checks, able to inject write conflicts. Thread-safe. */
public final class InMemoryIntegrationStore implements IntegrationStore {

    private final Map<IntegrationId, Integration> values = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AtomicInteger conflictsToInject = new AtomicInteger();

    public InMemoryIntegrationStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Integration> get(TenantId tenant, IntegrationId id) {
        return Optional.ofNullable(values.get(id)).filter(i -> i.tenantId().equals(tenant));
    }

    @Override
    public Optional<Integration> findByEndpointKey(String endpointKey) {
        return values.values().stream().filter(i -> endpointKey.equals(i.structuredData().webhookEndpointKey())).findFirst();
    }

    @Override
    public synchronized Integration create(Integration integration) {
        if (values.containsKey(integration.id())) {
            throw new StoreConflictException("integration exists: " + integration.id(), List.of(integration.id().value()));
        }
        Integration stored = integration.withVersion(1, clock.instant());
        values.put(stored.id(), stored);
        return stored;
    }

    @Override
    public synchronized Integration update(Integration integration) {
        Integration current = values.get(integration.id());
        if (current == null || current.version() != integration.version() || conflictsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (current != null && current.version() == integration.version()) {
                // an injected conflict stands for a concurrent writer: it advances the version
                values.put(current.id(), current.withVersion(current.version() + 1, clock.instant()));
            }
            throw new StoreConflictException("stale version of integration " + integration.id(), List.of(integration.id().value()));
        }
        Integration stored = integration.withVersion(current.version() + 1, clock.instant());
        values.put(stored.id(), stored);
        return stored;
    }

    @Override
    public List<Integration> findDue(Instant now, int limit) {
        return values.values().stream()
                .filter(i -> i.status() == IntegrationStatus.ACTIVE)
                .filter(i -> i.structuredData().nextSyncAt() == null || !i.structuredData().nextSyncAt().isAfter(now))
                .limit(limit).toList();
    }

    @Override
    public List<Integration> list(TenantId tenant) {
        return values.values().stream().filter(i -> i.tenantId().equals(tenant)).toList();
    }

    @Override
    public List<Integration> listAll(IntegrationId afterId, int limit) {
        return values.values().stream()
                .filter(i -> afterId == null || i.id().value().compareTo(afterId.value()) > 0)
                .sorted(Comparator.comparing(i -> i.id().value()))
                .limit(limit).toList();
    }

    @Override
    public void delete(TenantId tenant, IntegrationId id) {
        values.remove(id);
    }

    /** The next {@code n} updates fail as if another writer got there first. */
    public void injectConflicts(int n) {
        conflictsToInject.set(n);
    }
}
