package com.castiel.sync.port;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ShardStore} that hands every call to another one: the base of decorators (counting,
 * dry runs, observing in tests) that change a few calls and keep the rest.
 *
 * <p><b>Contract.</b> Every method, the interface's defaults included, forwards to
 * {@link #delegate()} unchanged, so a decorator keeps the delegate's own implementation of each
 * (a store's optimised link-state queries, for instance) rather than falling back to a default;
 * a subclass overrides only the calls it changes. Writes arrive through two methods,
 * {@link #write(TenantId, List)} and {@link #write(PreparedWrites)} (a batch prepared ahead by
 * {@link #prepare}, which the engine's inbound scan uses): a decorator that observes or stops
 * writes overrides both.
 */
public abstract class ForwardingShardStore implements ShardStore {

    private final ShardStore delegate;

    protected ForwardingShardStore(ShardStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store the calls go to. */
    protected final ShardStore delegate() {
        return delegate;
    }

    @Override
    public Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity,
                                                Collection<String> externalIds) {
        return delegate.findByExternalIds(tenant, integration, externalEntity, externalIds);
    }

    @Override
    public Map<String, LinkState> findLinkStates(TenantId tenant, IntegrationId integration, String externalEntity,
                                                 Collection<String> externalIds) {
        return delegate.findLinkStates(tenant, integration, externalEntity, externalIds);
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        return delegate.write(tenant, writes);
    }

    @Override
    public PreparedWrites prepare(TenantId tenant, List<ShardWrite> writes) {
        return delegate.prepare(tenant, writes);
    }

    @Override
    public List<Shard> write(PreparedWrites batch) {
        return delegate.write(batch);
    }

    @Override
    public Optional<Shard> get(TenantId tenant, ShardId id) {
        return delegate.get(tenant, id);
    }

    @Override
    public List<Shard> listLinked(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        return delegate.listLinked(tenant, integration, externalEntity, afterShardId, limit);
    }

    @Override
    public List<LinkState> listLinkStates(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId,
                                          int limit) {
        return delegate.listLinkStates(tenant, integration, externalEntity, afterShardId, limit);
    }

    @Override
    public List<Shard> listInConflict(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        return delegate.listInConflict(tenant, integration, externalEntity, afterShardId, limit);
    }

    @Override
    public long count(TenantId tenant, String shardTypeId) {
        return delegate.count(tenant, shardTypeId);
    }
}
