package com.castiel.sync.standalone.runtime;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.ForwardingShardStore;
import com.castiel.sync.port.PreparedWrites;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Read-through, write-nowhere views of the stores for {@code sync --dry-run}: reads see the data
 * directory, writes are kept in memory for the rest of the run and never reach the database, so
 * the pipeline computes exactly what a real run would change.
 *
 * <ul>
 *   <li>Shards: writes are counted by the pipeline and dropped. A record the provider returns
 *       twice in one scan is therefore counted twice.</li>
 *   <li>Runs: the history, checkpoints and seen-set live in memory (a dry run never resumes a
 *       real crashed run); entity positions (watermarks) are read from the data directory, so an
 *       incremental dry run starts where the next real one would. The seen-set of a full dry run
 *       holds every external id in memory.</li>
 *   <li>Credentials and integrations: a token refreshed during the dry run, or a status change,
 *       stays in memory.</li>
 * </ul>
 */
public final class DryRun {

    private DryRun() {
    }

    /** Reads go to the real store; writes are answered as if applied and stored nowhere. */
    public static ShardStore shards(ShardStore real) {
        return new ForwardingShardStore(real) {
            @Override
            public List<Shard> write(PreparedWrites batch) {
                return write(batch.tenant(), batch.writes());
            }

            @Override
            public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
                List<Shard> out = new ArrayList<>(writes.size());
                for (ShardWrite w : writes) {
                    switch (w) {
                        case ShardWrite.Insert i -> out.add(i.shard());
                        case ShardWrite.Replace r -> out.add(r.shard());
                        case ShardWrite.Delete d -> out.add(null);
                    }
                }
                return out;
            }
        };
    }

    public static RunStore runs(RunStore real) {
        return new RunStore() {
            private final Map<RunId, SyncRun> runs = new ConcurrentHashMap<>();
            private final Map<String, SyncCheckpoint> checkpoints = new ConcurrentHashMap<>();
            private final Map<String, EntitySyncState> states = new ConcurrentHashMap<>();
            private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

            @Override
            public void saveRun(SyncRun run) {
                runs.put(run.id(), run);
            }

            @Override
            public Optional<SyncRun> run(TenantId tenant, RunId id) {
                return Optional.ofNullable(runs.get(id)).filter(r -> r.tenantId().equals(tenant));
            }

            @Override
            public List<SyncRun> history(TenantId tenant, IntegrationId integration, int limit) {
                return runs.values().stream().filter(r -> r.tenantId().equals(tenant) && r.integrationId().equals(integration))
                        .sorted((a, b) -> b.startedAt().compareTo(a.startedAt())).limit(limit).toList();
            }

            @Override
            public Optional<SyncCheckpoint> checkpoint(TenantId tenant, IntegrationId integration) {
                return Optional.ofNullable(checkpoints.get(key(tenant, integration)));
            }

            @Override
            public void saveCheckpoint(SyncCheckpoint checkpoint) {
                checkpoints.put(key(checkpoint.tenantId(), checkpoint.integrationId()), checkpoint);
            }

            @Override
            public void clearCheckpoint(TenantId tenant, IntegrationId integration) {
                checkpoints.remove(key(tenant, integration));
            }

            @Override
            public Optional<EntitySyncState> entityState(TenantId tenant, IntegrationId integration, String entity) {
                EntitySyncState local = states.get(key(tenant, integration) + "|" + entity);
                return local != null ? Optional.of(local) : real.entityState(tenant, integration, entity);
            }

            @Override
            public void saveEntityState(EntitySyncState state) {
                states.put(key(state.tenantId(), state.integrationId()) + "|" + state.entity(), state);
            }

            @Override
            public void markSeen(RunId run, String entity, Collection<String> externalIds) {
                seen.computeIfAbsent(run.value() + "|" + entity, k -> ConcurrentHashMap.newKeySet()).addAll(externalIds);
            }

            @Override
            public Set<String> seenAmong(RunId run, String entity, Collection<String> externalIds) {
                Set<String> s = seen.getOrDefault(run.value() + "|" + entity, Set.of());
                return externalIds.stream().filter(s::contains).collect(Collectors.toCollection(HashSet::new));
            }

            @Override
            public void clearSeen(RunId run) {
                seen.keySet().removeIf(k -> k.startsWith(run.value() + "|"));
            }
        };
    }

    public static CredentialStore credentials(CredentialStore real) {
        return new CredentialStore() {
            private final Map<String, Optional<Credentials>> local = new ConcurrentHashMap<>();

            @Override
            public Optional<Credentials> get(TenantId tenant, IntegrationId integration) {
                Optional<Credentials> mine = local.get(key(tenant, integration));
                return mine != null ? mine : real.get(tenant, integration);
            }

            @Override
            public void put(TenantId tenant, IntegrationId integration, Credentials credentials) {
                local.put(key(tenant, integration), Optional.of(credentials));
            }

            @Override
            public void delete(TenantId tenant, IntegrationId integration) {
                local.put(key(tenant, integration), Optional.empty());
            }

            @Override
            public List<CredentialRef> expiringBefore(Instant before) {
                return real.expiringBefore(before);
            }
        };
    }

    /** Integrations seeded with {@code seeded} (the integration as the file configures it), the rest read through. */
    public static IntegrationStore integrations(IntegrationStore real, Integration seeded) {
        return new IntegrationStore() {
            private final Map<String, Integration> local = new ConcurrentHashMap<>(Map.of(key(seeded.tenantId(), seeded.id()), seeded));

            @Override
            public Optional<Integration> get(TenantId tenant, IntegrationId id) {
                Integration mine = local.get(key(tenant, id));
                return mine != null ? Optional.of(mine) : real.get(tenant, id);
            }

            @Override
            public Optional<Integration> findByEndpointKey(String endpointKey) {
                return local.values().stream().filter(i -> endpointKey.equals(i.structuredData().webhookEndpointKey())).findFirst()
                        .or(() -> real.findByEndpointKey(endpointKey));
            }

            @Override
            public Integration create(Integration integration) {
                if (get(integration.tenantId(), integration.id()).isPresent()) {
                    throw new StoreConflictException("integration exists", List.of(integration.id().value()));
                }
                Integration stored = integration.withVersion(1, integration.updatedAt());
                local.put(key(integration.tenantId(), integration.id()), stored);
                return stored;
            }

            @Override
            public Integration update(Integration integration) {
                Integration current = get(integration.tenantId(), integration.id())
                        .orElseThrow(() -> new StoreConflictException("integration is gone", List.of(integration.id().value())));
                if (current.version() != integration.version()) {
                    throw new StoreConflictException("integration changed meanwhile", List.of(integration.id().value()));
                }
                Integration stored = integration.withVersion(integration.version() + 1, integration.updatedAt());
                local.put(key(integration.tenantId(), integration.id()), stored);
                return stored;
            }

            @Override
            public List<Integration> findDue(Instant now, int limit) {
                return List.of();
            }

            @Override
            public List<Integration> list(TenantId tenant) {
                return real.list(tenant);
            }

            @Override
            public List<Integration> listAll(IntegrationId afterId, int limit) {
                return real.listAll(afterId, limit);
            }

            @Override
            public void delete(TenantId tenant, IntegrationId id) {
                local.remove(key(tenant, id));
            }
        };
    }

    private static String key(TenantId tenant, IntegrationId id) {
        return tenant.value() + "|" + id.value();
    }
}
