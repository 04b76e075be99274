package com.castiel.sync.testkit.inbound;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ForwardingShardStore;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shard store that counts batched writes and written shards, counts the whole shards read by
 * external id (link-state lookups, which forward to the store's own, are not shard reads), and
 * can "crash" the process around a write: right before it (nothing applied) or right after it
 * (applied, but the caller never hears back) — the two points where a real crash differs.
 */
final class ObservedShardStore extends ForwardingShardStore {

    /** Thrown where a crash would stop the process. */
    static final class Crash extends RuntimeException {
        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    private final AtomicInteger writeCalls = new AtomicInteger();
    private final AtomicLong shardsWritten = new AtomicLong();
    private final AtomicLong shardsRead = new AtomicLong();
    private volatile int crashBeforeWrite = -1;
    private volatile int crashAfterWrite = -1;

    ObservedShardStore(ShardStore delegate) {
        super(delegate);
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
        Map<String, Shard> found = delegate().findByExternalIds(tenant, integration, externalEntity, externalIds);
        shardsRead.addAndGet(found.size());
        return found;
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        int n = writeCalls.incrementAndGet();
        if (n == crashBeforeWrite) {
            throw new Crash("before write " + n);
        }
        List<Shard> result = delegate().write(tenant, writes);
        shardsWritten.addAndGet(writes.size());
        if (n == crashAfterWrite) {
            throw new Crash("after write " + n);
        }
        return result;
    }

}
