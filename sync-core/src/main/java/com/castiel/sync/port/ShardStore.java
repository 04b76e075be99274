package com.castiel.sync.port;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where shards live. Every method is scoped by tenant; no method reads or writes across
 * tenants. Implementations are thread-safe.
 *
 * <p>Uniqueness: at most one shard holds a link to a given (integration, external entity,
 * external id); stores enforce it on insert and replace.
 */
public interface ShardStore {

    /**
     * One batched lookup: the shards linked to any of {@code externalIds} of an entity of an
     * integration, keyed by external id. Soft-deleted shards are included. Ids without a shard
     * are absent.
     */
    Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity, Collection<String> externalIds);

    /**
     * One batched lookup of link states: for each of {@code externalIds} that an integration's
     * entity links to a shard, the state of that link, keyed by external id. Soft-deleted shards
     * are included ({@link LinkState#shardDeleted()}); ids without a shard are absent, and so are
     * {@code null} ids. When a shard holds the same link twice, its first relationship counts, as
     * in {@link Shard#relationship}.
     *
     * <p>The default derives the states from {@link #findByExternalIds}; stores that keep link
     * state next to their link index should override it with a query that reads no document.
     *
     * @return an unmodifiable map, empty when nothing matches
     */
    default Map<String, LinkState> findLinkStates(TenantId tenant, IntegrationId integration, String externalEntity,
                                                  Collection<String> externalIds) {
        List<String> ids = externalIds.stream().filter(Objects::nonNull).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, Shard> found = findByExternalIds(tenant, integration, externalEntity, ids);
        Map<String, LinkState> states = new LinkedHashMap<>();
        found.forEach((externalId, shard) -> shard.relationship(integration, externalEntity, externalId)
                .ifPresent(r -> states.put(externalId, LinkState.of(shard, r))));
        return Collections.unmodifiableMap(states);
    }

    /**
     * One batched write. Writes are applied in order, each atomically; the whole batch in one
     * transaction where the backend allows. On a conflict the method throws
     * {@link StoreConflictException}; with a transactional backend nothing was applied, with a
     * non-transactional one the writes before the failing one may have been applied (each write
     * is idempotent when retried after a re-read).
     *
     * @return the written shards with their new etags, in request order ({@code null} for deletes)
     * @throws IllegalArgumentException when a written shard's {@code tenantId} is not {@code tenant};
     *     nothing is written
     */
    List<Shard> write(TenantId tenant, List<ShardWrite> writes);

    /**
     * Readies a batch for {@link #write(PreparedWrites)} when the caller chooses: the work a
     * write can do before it looks at stored state (serialising documents, building rows), done
     * now (on the calling thread, or threads the store chooses), so that a caller with a thread to
     * spare can take it off the thread that writes. It reads and changes
     * nothing and checks nothing that depends on stored state; the write checks the batch exactly
     * as {@link #write(TenantId, List)} does, however long after it was prepared.
     *
     * <p>The default prepares nothing.
     *
     * @throws IllegalArgumentException when a shard's {@code tenantId} is not {@code tenant} (the
     *     store may instead find it when writing)
     */
    default PreparedWrites prepare(TenantId tenant, List<ShardWrite> writes) {
        return PreparedWrites.unprepared(tenant, writes);
    }

    /**
     * Writes a batch {@link #prepare prepared} ahead, with the same semantics, checks and result
     * as {@link #write(TenantId, List)} of its tenant and writes. A batch this store did not
     * prepare is written as if unprepared.
     *
     * <p>The default writes {@link PreparedWrites#writes()} through {@link #write(TenantId, List)}.
     */
    default List<Shard> write(PreparedWrites batch) {
        return write(batch.tenant(), batch.writes());
    }

    Optional<Shard> get(TenantId tenant, ShardId id);

    /**
     * Pages through the shards linked to an integration's entity, ordered by shard id.
     * Soft-deleted shards are included.
     *
     * @param afterShardId exclusive start, {@code null} for the first page
     * @param limit page size
     */
    List<Shard> listLinked(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit);

    /**
     * Pages through the link states of the shards linked to an integration's entity: the same
     * shards, in the same pages, as {@link #listLinked}, with one state per distinct external id
     * each shard links to that entity (links awaiting their external id included, as one state
     * with a {@code null} id). States are ordered by shard id, and a shard's states are adjacent
     * (ordered by external id, the {@code null} one first). A page holds every link of each of its
     * shards, so the next page starts after the last state's shard id; an empty page is the end.
     *
     * <p>The default derives the states from {@link #listLinked}; stores that keep link state
     * next to their link index should override it with a query that reads no document.
     *
     * @param afterShardId exclusive start, {@code null} for the first page
     * @param limit most shards the page covers, at least 1 (a page may hold more states)
     */
    default List<LinkState> listLinkStates(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId,
                                           int limit) {
        List<LinkState> states = new ArrayList<>();
        for (Shard shard : listLinked(tenant, integration, externalEntity, afterShardId, limit)) {
            Map<String, ExternalRelationship> byExternalId = new TreeMap<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
            for (ExternalRelationship r : shard.externalRelationships()) {
                if (r.integrationId().equals(integration) && r.externalEntity().equals(externalEntity)) {
                    byExternalId.putIfAbsent(r.externalId(), r);
                }
            }
            byExternalId.values().forEach(r -> states.add(LinkState.of(shard, r)));
        }
        return List.copyOf(states);
    }

    /**
     * Pages through the shards whose relationship to an integration's entity is in
     * {@code conflict} (a write-back or sync parked by the {@code manual} policy), ordered by
     * shard id.
     *
     * <p>The default scans {@link #listLinked} page by page, which reads every linked shard;
     * stores with a queryable relationship status should override it with an indexed query.
     *
     * @param afterShardId exclusive start, {@code null} for the first page
     * @param limit page size, at least 1
     */
    default List<Shard> listInConflict(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        List<Shard> found = new ArrayList<>();
        ShardId after = afterShardId;
        int scanPage = Math.max(limit, 200);
        while (found.size() < limit) {
            List<Shard> page = listLinked(tenant, integration, externalEntity, after, scanPage);
            for (Shard s : page) {
                boolean inConflict = s.externalRelationships().stream().anyMatch(r -> r.integrationId().equals(integration)
                        && r.externalEntity().equals(externalEntity) && r.syncStatus() == SyncStatus.CONFLICT);
                if (inConflict) {
                    found.add(s);
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
            if (page.size() < scanPage) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        return List.copyOf(found);
    }

    /** Number of live (not soft-deleted) shards of a type; {@code null} type counts all. */
    long count(TenantId tenant, String shardTypeId);
}
