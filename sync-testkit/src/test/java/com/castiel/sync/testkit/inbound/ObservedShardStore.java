package com.castiel.sync.testkit.inbound;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ForwardingShardStore;
import com.castiel.sync.port.LinkState;
import com.castiel.sync.port.PreparedWrites;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

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
    private volatile IntConsumer afterWrite = n -> { };
    private volatile IntConsumer beforeWrite = n -> { };
    private final AtomicInteger linkLookups = new AtomicInteger();
    private volatile IntConsumer afterLinkLookup = n -> { };

    ObservedShardStore(ShardStore delegate) {
        super(delegate);
    }

    void crashBeforeWrite(int n) {
        crashBeforeWrite = writeCalls.get() + n;
    }

    /** Runs {@code hook} with the write's number (from 1) before each write reaches the store. */
    void beforeWrite(IntConsumer hook) {
        beforeWrite = hook;
    }

    /** Runs {@code hook} with the lookup's number (from 1) after each link-state lookup. */
    void afterLinkLookup(IntConsumer hook) {
        afterLinkLookup = hook;
    }

    int linkLookups() {
        return linkLookups.get();
    }

    /** Runs {@code hook} with the write's number (from 1) after each write that succeeded. */
    void afterWrite(IntConsumer hook) {
        afterWrite = hook;
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
    public Map<String, LinkState> findLinkStates(TenantId tenant, IntegrationId integration, String externalEntity,
                                                 Collection<String> externalIds) {
        Map<String, LinkState> found = delegate().findLinkStates(tenant, integration, externalEntity, externalIds);
        afterLinkLookup.accept(linkLookups.incrementAndGet());
        return found;
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        return observeWrite(writes.size(), () -> delegate().write(tenant, writes));
    }

    @Override
    public List<Shard> write(PreparedWrites batch) {
        return observeWrite(batch.writes().size(), () -> delegate().write(batch));
    }

    private List<Shard> observeWrite(int size, Supplier<List<Shard>> write) {
        int n = writeCalls.incrementAndGet();
        if (n == crashBeforeWrite) {
            throw new Crash("before write " + n);
        }
        beforeWrite.accept(n);
        List<Shard> result = write.get();
        shardsWritten.addAndGet(size);
        afterWrite.accept(n);
        if (n == crashAfterWrite) {
            throw new Crash("after write " + n);
        }
        return result;
    }

}
