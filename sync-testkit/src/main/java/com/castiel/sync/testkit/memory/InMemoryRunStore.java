package com.castiel.sync.testkit.memory;

import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.RunStore;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RunStore} in memory, for tests and the demo.
 *
 * <p>Runs are keyed by id and readable only within their tenant; history is newest first by
 * {@code startedAt} (ties broken by id, descending). At most one checkpoint per (tenant,
 * integration) and one sync state per (tenant, integration, entity); saving replaces. Seen-sets
 * accumulate across {@link #markSeen} calls until {@link #clearSeen}.
 *
 * <p>Thread-safe: every operation runs under one lock.
 */
public final class InMemoryRunStore implements RunStore {

    private static final Comparator<SyncRun> NEWEST_FIRST = Comparator.comparing(SyncRun::startedAt)
            .thenComparing(r -> r.id().value())
            .reversed();

    private final Object lock = new Object();
    private final Map<RunId, SyncRun> runs = new HashMap<>();
    private final Map<IntegrationKey, SyncCheckpoint> checkpoints = new HashMap<>();
    private final Map<EntityKey, EntitySyncState> entityStates = new HashMap<>();
    private final Map<RunId, Map<String, Set<String>>> seen = new HashMap<>();

    @Override
    public void saveRun(SyncRun run) {
        Objects.requireNonNull(run, "run");
        synchronized (lock) {
            SyncRun existing = runs.get(run.id());
            if (existing != null && !existing.tenantId().equals(run.tenantId())) {
                throw new IllegalArgumentException("run " + run.id() + " belongs to tenant " + existing.tenantId()
                        + " and cannot be replaced by a run of tenant " + run.tenantId());
            }
            runs.put(run.id(), run);
        }
    }

    @Override
    public Optional<SyncRun> run(TenantId tenant, RunId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        synchronized (lock) {
            return Optional.ofNullable(runs.get(id)).filter(r -> r.tenantId().equals(tenant));
        }
    }

    @Override
    public List<SyncRun> history(TenantId tenant, IntegrationId integration, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        synchronized (lock) {
            return runs.values().stream()
                    .filter(r -> r.tenantId().equals(tenant) && r.integrationId().equals(integration))
                    .sorted(NEWEST_FIRST)
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public Optional<SyncCheckpoint> checkpoint(TenantId tenant, IntegrationId integration) {
        synchronized (lock) {
            return Optional.ofNullable(checkpoints.get(new IntegrationKey(tenant, integration)));
        }
    }

    @Override
    public void saveCheckpoint(SyncCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        synchronized (lock) {
            checkpoints.put(new IntegrationKey(checkpoint.tenantId(), checkpoint.integrationId()), checkpoint);
        }
    }

    @Override
    public void clearCheckpoint(TenantId tenant, IntegrationId integration) {
        synchronized (lock) {
            checkpoints.remove(new IntegrationKey(tenant, integration));
        }
    }

    @Override
    public Optional<EntitySyncState> entityState(TenantId tenant, IntegrationId integration, String entity) {
        synchronized (lock) {
            return Optional.ofNullable(entityStates.get(new EntityKey(tenant, integration, entity)));
        }
    }

    @Override
    public void saveEntityState(EntitySyncState state) {
        Objects.requireNonNull(state, "state");
        synchronized (lock) {
            entityStates.put(new EntityKey(state.tenantId(), state.integrationId(), state.entity()), state);
        }
    }

    @Override
    public void markSeen(RunId run, String entity, Collection<String> externalIds) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(externalIds, "externalIds");
        synchronized (lock) {
            seen.computeIfAbsent(run, r -> new HashMap<>()).computeIfAbsent(entity, e -> new HashSet<>()).addAll(externalIds);
        }
    }

    @Override
    public Set<String> seenAmong(RunId run, String entity, Collection<String> externalIds) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(externalIds, "externalIds");
        synchronized (lock) {
            Set<String> seenIds = seen.getOrDefault(run, Map.of()).getOrDefault(entity, Set.of());
            Set<String> result = new LinkedHashSet<>();
            for (String id : externalIds) {
                if (seenIds.contains(id)) {
                    result.add(id);
                }
            }
            return Set.copyOf(result);
        }
    }

    @Override
    public void clearSeen(RunId run) {
        Objects.requireNonNull(run, "run");
        synchronized (lock) {
            seen.remove(run);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryRunStore[" + runs.size() + " runs, " + checkpoints.size() + " checkpoints]";
        }
    }

    private record IntegrationKey(TenantId tenant, IntegrationId integration) {
        IntegrationKey {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(integration, "integration");
        }
    }

    private record EntityKey(TenantId tenant, IntegrationId integration, String entity) {
        EntityKey {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(integration, "integration");
            Objects.requireNonNull(entity, "entity");
        }
    }
}
