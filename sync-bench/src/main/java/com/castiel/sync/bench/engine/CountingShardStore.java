package com.castiel.sync.bench.engine;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ForwardingShardStore;
import com.castiel.sync.port.PreparedWrites;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ShardStore} that forwards every call to the real store and counts the writes (batches
 * and shards), so a benchmark can state how many store writes a sync made, for example none
 * when nothing changed. Thread-safe if the delegate is.
 */
public final class CountingShardStore extends ForwardingShardStore {

    private final LongAdder writeBatches = new LongAdder();
    private final LongAdder shardsWritten = new LongAdder();
    private final LongAdder lookups = new LongAdder();

    public CountingShardStore(ShardStore delegate) {
        super(delegate);
    }

    @Override
    public Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity,
                                                Collection<String> externalIds) {
        lookups.increment();
        return delegate().findByExternalIds(tenant, integration, externalEntity, externalIds);
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        writeBatches.increment();
        shardsWritten.add(writes.size());
        return delegate().write(tenant, writes);
    }

    @Override
    public List<Shard> write(PreparedWrites batch) {
        writeBatches.increment();
        shardsWritten.add(batch.writes().size());
        return delegate().write(batch);
    }

    /** Write calls (batches) so far. */
    public long writeBatches() {
        return writeBatches.sum();
    }

    /** Shards inserted, replaced or deleted so far. */
    public long shardsWritten() {
        return shardsWritten.sum();
    }

    /** Batched lookups by external id so far. */
    public long lookups() {
        return lookups.sum();
    }
}
