package com.castiel.sync.testkit.memory;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link IntegrationStore} in memory, for tests and the demo.
 *
 * <p>Behaves like the durable stores: ids and endpoint keys are unique across tenants,
 * {@link #create} stores version 1 and {@link #update} is a compare-and-set on the version that
 * increments it. {@code createdAt} is kept when given and otherwise set from the injected clock;
 * {@code updatedAt} is set from the clock on every write. Reads of another tenant's integration
 * find nothing; an update or delete addressed to the wrong tenant does not touch it.
 *
 * <p>Thread-safe: every operation runs under one lock, so a compare-and-set is atomic.
 */
public final class InMemoryIntegrationStore implements IntegrationStore {

    private static final Comparator<Integration> DUE_ORDER = Comparator
            .comparing((Integration i) -> i.structuredData().nextSyncAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(i -> i.id().value());

    private final Clock clock;
    private final Object lock = new Object();
    private final TreeMap<String, Integration> byId = new TreeMap<>();
    private final Map<String, IntegrationId> byEndpointKey = new HashMap<>();

    public InMemoryIntegrationStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Integration> get(TenantId tenant, IntegrationId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        synchronized (lock) {
            return Optional.ofNullable(byId.get(id.value())).filter(i -> i.tenantId().equals(tenant));
        }
    }

    @Override
    public Optional<Integration> findByEndpointKey(String endpointKey) {
        if (endpointKey == null || endpointKey.isEmpty()) {
            return Optional.empty();
        }
        synchronized (lock) {
            return Optional.ofNullable(byEndpointKey.get(endpointKey)).map(id -> byId.get(id.value()));
        }
    }

    @Override
    public Integration create(Integration integration) {
        Objects.requireNonNull(integration, "integration");
        synchronized (lock) {
            if (byId.containsKey(integration.id().value())) {
                throw new StoreConflictException("integration " + integration.id() + " already exists", List.of(integration.id().value()));
            }
            String key = integration.structuredData().webhookEndpointKey();
            if (key != null && byEndpointKey.containsKey(key)) {
                throw new StoreConflictException("webhookEndpointKey of integration " + integration.id()
                        + " is already used by another integration", List.of(integration.id().value()));
            }
            Instant now = clock.instant();
            Integration stored = new Integration(integration.id(), integration.tenantId(), integration.name(),
                    integration.structuredData(), 1, integration.createdAt() != null ? integration.createdAt() : now, now);
            byId.put(stored.id().value(), stored);
            if (key != null) {
                byEndpointKey.put(key, stored.id());
            }
            return stored;
        }
    }

    @Override
    public Integration update(Integration integration) {
        Objects.requireNonNull(integration, "integration");
        synchronized (lock) {
            Integration current = byId.get(integration.id().value());
            if (current == null || !current.tenantId().equals(integration.tenantId())) {
                throw new StoreConflictException("integration " + integration.id() + " does not exist (deleted meanwhile?)",
                        List.of(integration.id().value()));
            }
            if (current.version() != integration.version()) {
                throw new StoreConflictException("integration " + integration.id() + " was changed concurrently: version "
                        + integration.version() + " is stale, stored version is " + current.version(), List.of(integration.id().value()));
            }
            String oldKey = current.structuredData().webhookEndpointKey();
            String newKey = integration.structuredData().webhookEndpointKey();
            if (newKey != null && !newKey.equals(oldKey) && byEndpointKey.containsKey(newKey)) {
                throw new StoreConflictException("webhookEndpointKey of integration " + integration.id()
                        + " is already used by another integration", List.of(integration.id().value()));
            }
            Integration stored = new Integration(current.id(), current.tenantId(), integration.name(), integration.structuredData(),
                    current.version() + 1, current.createdAt(), clock.instant());
            byId.put(stored.id().value(), stored);
            if (oldKey != null && !oldKey.equals(newKey)) {
                byEndpointKey.remove(oldKey);
            }
            if (newKey != null) {
                byEndpointKey.put(newKey, stored.id());
            }
            return stored;
        }
    }

    @Override
    public List<Integration> findDue(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        requirePositive(limit);
        synchronized (lock) {
            return byId.values().stream()
                    .filter(i -> i.status() == IntegrationStatus.ACTIVE)
                    .filter(i -> i.structuredData().nextSyncAt() == null || !i.structuredData().nextSyncAt().isAfter(now))
                    .sorted(DUE_ORDER)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public List<Integration> list(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        synchronized (lock) {
            return byId.values().stream().filter(i -> i.tenantId().equals(tenant)).toList();
        }
    }

    @Override
    public List<Integration> listAll(IntegrationId afterId, int limit) {
        requirePositive(limit);
        synchronized (lock) {
            Map<String, Integration> tail = afterId == null ? byId : byId.tailMap(afterId.value(), false);
            List<Integration> page = new ArrayList<>(Math.min(limit, tail.size()));
            for (Integration i : tail.values()) {
                if (page.size() == limit) {
                    break;
                }
                page.add(i);
            }
            return List.copyOf(page);
        }
    }

    @Override
    public void delete(TenantId tenant, IntegrationId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        synchronized (lock) {
            Integration current = byId.get(id.value());
            if (current == null || !current.tenantId().equals(tenant)) {
                return;
            }
            byId.remove(id.value());
            String key = current.structuredData().webhookEndpointKey();
            if (key != null) {
                byEndpointKey.remove(key);
            }
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryIntegrationStore[" + byId.size() + " integrations]";
        }
    }
}
