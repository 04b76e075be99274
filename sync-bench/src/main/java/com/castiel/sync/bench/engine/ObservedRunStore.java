package com.castiel.sync.bench.engine;

import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.port.ForwardingRunStore;
import com.castiel.sync.port.RunStore;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A {@link RunStore} that forwards every call and counts the bookkeeping writes of a sync (run
 * saves, checkpoints, seen marks), and tells a listener about every checkpoint: the inbound
 * pipeline saves one after each durably written page, so the listener sees the run's progress
 * at page boundaries. Thread-safe if the delegate and the listener are.
 */
public final class ObservedRunStore extends ForwardingRunStore {

    private volatile Consumer<SyncCheckpoint> checkpointListener = cp -> { };
    private final LongAdder runSaves = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder seenMarks = new LongAdder();

    public ObservedRunStore(RunStore delegate) {
        super(delegate);
    }

    /** Replaces the checkpoint listener (called on the syncing thread, after the checkpoint is saved). */
    public void onCheckpoint(Consumer<SyncCheckpoint> listener) {
        this.checkpointListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void saveRun(SyncRun run) {
        runSaves.increment();
        delegate().saveRun(run);
    }

    @Override
    public void saveCheckpoint(SyncCheckpoint checkpoint) {
        checkpoints.increment();
        delegate().saveCheckpoint(checkpoint);
        checkpointListener.accept(checkpoint);
    }

    @Override
    public void markSeen(RunId run, String entity, Collection<String> externalIds) {
        seenMarks.add(externalIds.size());
        delegate().markSeen(run, entity, externalIds);
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
