package com.castiel.sync.bench.engine;

import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.RunStore;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A {@link RunStore} that forwards every call and counts the bookkeeping writes of a sync (run
 * saves, checkpoints, seen marks), and tells a listener about every checkpoint: the inbound
 * pipeline saves one after each durably written page, so the listener sees the run's progress
 * at page boundaries. Thread-safe if the delegate and the listener are.
 */
public final class ObservedRunStore implements RunStore {

    private final RunStore delegate;
    private volatile Consumer<SyncCheckpoint> checkpointListener = cp -> { };
    private final LongAdder runSaves = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder seenMarks = new LongAdder();

    public ObservedRunStore(RunStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Replaces the checkpoint listener (called on the syncing thread, after the checkpoint is saved). */
    public void onCheckpoint(Consumer<SyncCheckpoint> listener) {
        this.checkpointListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void saveRun(SyncRun run) {
        runSaves.increment();
        delegate.saveRun(run);
    }

    @Override
    public Optional<SyncRun> run(TenantId tenant, RunId id) {
        return delegate.run(tenant, id);
    }

    @Override
    public List<SyncRun> history(TenantId tenant, IntegrationId integration, int limit) {
        return delegate.history(tenant, integration, limit);
    }

    @Override
    public Optional<SyncCheckpoint> checkpoint(TenantId tenant, IntegrationId integration) {
        return delegate.checkpoint(tenant, integration);
    }

    @Override
    public void saveCheckpoint(SyncCheckpoint checkpoint) {
        checkpoints.increment();
        delegate.saveCheckpoint(checkpoint);
        checkpointListener.accept(checkpoint);
    }

    @Override
    public void clearCheckpoint(TenantId tenant, IntegrationId integration) {
        delegate.clearCheckpoint(tenant, integration);
    }

    @Override
    public Optional<EntitySyncState> entityState(TenantId tenant, IntegrationId integration, String entity) {
        return delegate.entityState(tenant, integration, entity);
    }

    @Override
    public void saveEntityState(EntitySyncState state) {
        delegate.saveEntityState(state);
    }

    @Override
    public void markSeen(RunId run, String entity, Collection<String> externalIds) {
        seenMarks.add(externalIds.size());
        delegate.markSeen(run, entity, externalIds);
    }

    @Override
    public Set<String> seenAmong(RunId run, String entity, Collection<String> externalIds) {
        return delegate.seenAmong(run, entity, externalIds);
    }

    @Override
    public void clearSeen(RunId run) {
        delegate.clearSeen(run);
    }

    public long runSaves() {
        return runSaves.sum();
    }

    public long checkpoints() {
        return checkpoints.sum();
    }

    /** External ids marked seen (the full-sync sweep's bookkeeping rows). */
    public long seenMarks() {
        return seenMarks.sum();
    }
}
