package com.castiel.sync.port;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
