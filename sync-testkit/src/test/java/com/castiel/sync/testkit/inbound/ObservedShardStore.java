package com.castiel.sync.testkit.inbound;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.LinkState;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shard store that counts batched writes and written shards, counts the whole shards read by
 * external id (link-state lookups, which forward to the store's own, are not shard reads), and
 * can "crash" the process around a write: right before it (nothing applied) or right after it
 * (applied, but the caller never hears back) — the two points where a real crash differs.
 */
final class ObservedShardStore implements ShardStore {

    /** Thrown where a crash would stop the process. */
    static final class Crash extends RuntimeException {
        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    private final ShardStore delegate;
    private final AtomicInteger writeCalls = new AtomicInteger();
    private final AtomicLong shardsWritten = new AtomicLong();
    private final AtomicLong shardsRead = new AtomicLong();
    private volatile int crashBeforeWrite = -1;
    private volatile int crashAfterWrite = -1;

    ObservedShardStore(ShardStore delegate) {
        this.delegate = delegate;
    }

    void crashBeforeWrite(int n) {
        crashBeforeWrite = writeCalls.get() + n;
    }

    void crashAfterWrite(int n) {
        crashAfterWrite = writeCalls.get() + n;
    }

    int writeCalls() {
        return writeCalls.get();
    }

    long shardsWritten() {
        return shardsWritten.get();
    }

    /** Shards returned by {@link #findByExternalIds} so far. */
    long shardsRead() {
        return shardsRead.get();
    }

    @Override
    public Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity, Collection<String> externalIds) {
        Map<String, Shard> found = delegate.findByExternalIds(tenant, integration, externalEntity, externalIds);
        shardsRead.addAndGet(found.size());
        return found;
    }

    @Override
    public Map<String, LinkState> findLinkStates(TenantId tenant, IntegrationId integration, String externalEntity,
                                                 Collection<String> externalIds) {
        return delegate.findLinkStates(tenant, integration, externalEntity, externalIds);
    }

    @Override
    public List<LinkState> listLinkStates(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId,
                                          int limit) {
        return delegate.listLinkStates(tenant, integration, externalEntity, afterShardId, limit);
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        int n = writeCalls.incrementAndGet();
        if (n == crashBeforeWrite) {
            throw new Crash("before write " + n);
        }
        List<Shard> result = delegate.write(tenant, writes);
        shardsWritten.addAndGet(writes.size());
        if (n == crashAfterWrite) {
            throw new Crash("after write " + n);
        }
        return result;
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
    public long count(TenantId tenant, String shardTypeId) {
        return delegate.count(tenant, shardTypeId);
    }
}
