package com.castiel.sync.testkit.memory;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ShardStore} in memory, for tests, benchmarks of the pipeline and the demo.
 *
 * <p>Semantics match the durable stores: a unique index on (tenant, integration, external
 * entity, external id) over every link that has an external id; etag checks on conditional
 * replace and delete; a replace of a shard that does not exist is a conflict. Batches are
 * transactional: when any write of a batch fails, none is applied. Shards are deep-copied on
 * the way in and out, so callers never share JSON nodes with the store. Etags are opaque strings
 * that change on every write.
 *
 * <p>Thread-safe: every operation runs under one lock, so a batch is atomic and isolated.
 */
public final class InMemoryShardStore implements ShardStore {

    private final Object lock = new Object();
    private final Map<TenantId, TreeMap<String, Shard>> shards = new HashMap<>();
    private final Map<LinkKey, ShardId> links = new HashMap<>();
    private long etagSequence;

    @Override
    public Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity, Collection<String> externalIds) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(externalEntity, "externalEntity");
        Objects.requireNonNull(externalIds, "externalIds");
        synchronized (lock) {
            Map<String, Shard> found = new LinkedHashMap<>();
            TreeMap<String, Shard> tenantShards = shards.getOrDefault(tenant, new TreeMap<>());
            for (String externalId : externalIds) {
                ShardId holder = externalId == null ? null : links.get(new LinkKey(tenant, integration, externalEntity, externalId));
                if (holder != null) {
                    found.put(externalId, ShardCopies.copy(tenantShards.get(holder.value())));
                }
            }
            return Collections.unmodifiableMap(found);
        }
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(writes, "writes");
        for (int i = 0; i < writes.size(); i++) {
            ShardWrite w = Objects.requireNonNull(writes.get(i), "writes[" + i + "]");
            Shard shard = switch (w) {
                case ShardWrite.Insert insert -> insert.shard();
                case ShardWrite.Replace replace -> replace.shard();
                case ShardWrite.Delete ignored -> null;
            };
            if (shard != null && !shard.tenantId().equals(tenant)) {
                throw new IllegalArgumentException("writes[" + i + "]: shard " + shard.id() + " belongs to tenant "
                        + shard.tenantId() + ", not to " + tenant + "; a store write never crosses tenants");
            }
        }
        synchronized (lock) {
            TreeMap<String, Shard> tenantShards = shards.computeIfAbsent(tenant, t -> new TreeMap<>());
            // Before-images of every shard the batch touched, to undo it on a conflict.
            Map<String, Optional<Shard>> undo = new LinkedHashMap<>();
            List<Shard> results = new ArrayList<>(writes.size());
            try {
                for (ShardWrite w : writes) {
                    undo.putIfAbsent(w.shardId().value(), Optional.ofNullable(tenantShards.get(w.shardId().value())));
                    results.add(apply(tenant, tenantShards, w));
                }
            } catch (StoreConflictException e) {
                List<String> touched = new ArrayList<>(undo.keySet());
                Collections.reverse(touched);
                for (String id : touched) {
                    remove(tenant, tenantShards, id);
                    undo.get(id).ifPresent(before -> put(tenant, tenantShards, before));
                }
                throw e;
            }
            return Collections.unmodifiableList(results);
        }
    }

    private Shard apply(TenantId tenant, TreeMap<String, Shard> tenantShards, ShardWrite write) {
        return switch (write) {
            case ShardWrite.Insert insert -> {
                Shard shard = insert.shard();
                if (tenantShards.containsKey(shard.id().value())) {
                    throw conflict(shard.id(), "shard " + shard.id() + " already exists");
                }
                requireLinksFree(tenant, shard);
                Shard stored = ShardCopies.copy(shard).withEtag(nextEtag());
                put(tenant, tenantShards, stored);
                yield ShardCopies.copy(stored);
            }
            case ShardWrite.Replace replace -> {
                Shard shard = replace.shard();
                Shard current = tenantShards.get(shard.id().value());
                if (current == null) {
                    throw conflict(shard.id(), "shard " + shard.id() + " does not exist (deleted meanwhile?)");
                }
                if (shard.etag() != null && !shard.etag().equals(current.etag())) {
                    throw conflict(shard.id(), "shard " + shard.id() + " was changed concurrently: its etag is stale");
                }
                requireLinksFree(tenant, shard);
                remove(tenant, tenantShards, shard.id().value());
                Shard stored = ShardCopies.copy(shard).withEtag(nextEtag());
                put(tenant, tenantShards, stored);
                yield ShardCopies.copy(stored);
            }
            case ShardWrite.Delete delete -> {
                Shard current = tenantShards.get(delete.shardId().value());
                if (current != null) {
                    if (delete.etag() != null && !delete.etag().equals(current.etag())) {
                        throw conflict(delete.shardId(), "shard " + delete.shardId() + " was changed concurrently: its etag is stale");
                    }
                    remove(tenant, tenantShards, delete.shardId().value());
                }
                yield null;
            }
        };
    }

    private void requireLinksFree(TenantId tenant, Shard shard) {
        for (ExternalRelationship r : shard.externalRelationships()) {
            if (r.externalId() == null) {
                continue;
            }
            ShardId holder = links.get(LinkKey.of(tenant, r));
            if (holder != null && !holder.equals(shard.id())) {
                throw conflict(shard.id(), "shard " + shard.id() + " links " + r.externalEntity() + " " + r.externalId()
                        + " of integration " + r.integrationId() + ", which shard " + holder + " already holds");
            }
        }
    }

    private void put(TenantId tenant, TreeMap<String, Shard> tenantShards, Shard shard) {
        tenantShards.put(shard.id().value(), shard);
        for (ExternalRelationship r : shard.externalRelationships()) {
            if (r.externalId() != null) {
                links.put(LinkKey.of(tenant, r), shard.id());
            }
        }
    }

    private void remove(TenantId tenant, TreeMap<String, Shard> tenantShards, String id) {
        Shard removed = tenantShards.remove(id);
        if (removed == null) {
            return;
        }
        for (ExternalRelationship r : removed.externalRelationships()) {
            if (r.externalId() != null) {
                links.remove(LinkKey.of(tenant, r), removed.id());
            }
        }
    }

    private String nextEtag() {
        return "\"" + Long.toHexString(++etagSequence) + "\"";
    }

    private static StoreConflictException conflict(ShardId id, String message) {
        return new StoreConflictException(message, List.of(id.value()));
    }

    @Override
    public Optional<Shard> get(TenantId tenant, ShardId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        synchronized (lock) {
            return Optional.ofNullable(shards.getOrDefault(tenant, new TreeMap<>()).get(id.value())).map(ShardCopies::copy);
        }
    }

    @Override
    public List<Shard> listLinked(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(externalEntity, "externalEntity");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        synchronized (lock) {
            TreeMap<String, Shard> tenantShards = shards.getOrDefault(tenant, new TreeMap<>());
            Map<String, Shard> tail = afterShardId == null ? tenantShards : tenantShards.tailMap(afterShardId.value(), false);
            List<Shard> page = new ArrayList<>();
            for (Shard s : tail.values()) {
                if (page.size() == limit) {
                    break;
                }
                boolean linked = s.externalRelationships().stream()
                        .anyMatch(r -> r.integrationId().equals(integration) && r.externalEntity().equals(externalEntity));
                if (linked) {
                    page.add(ShardCopies.copy(s));
                }
            }
            return List.copyOf(page);
        }
    }

    @Override
    public long count(TenantId tenant, String shardTypeId) {
        Objects.requireNonNull(tenant, "tenant");
        synchronized (lock) {
            return shards.getOrDefault(tenant, new TreeMap<>()).values().stream()
                    .filter(s -> !s.isDeleted())
                    .filter(s -> shardTypeId == null || s.shardTypeId().equals(shardTypeId))
                    .count();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryShardStore[" + shards.values().stream().mapToInt(Map::size).sum() + " shards]";
        }
    }

    private record LinkKey(TenantId tenant, IntegrationId integration, String entity, String externalId) {
        static LinkKey of(TenantId tenant, ExternalRelationship r) {
            return new LinkKey(tenant, r.integrationId(), r.externalEntity(), r.externalId());
        }
    }
}
