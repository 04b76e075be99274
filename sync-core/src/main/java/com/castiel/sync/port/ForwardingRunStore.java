package com.castiel.sync.port;

import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RunStore} that hands every call to another one: the base of decorators that observe
 * or count a few calls and keep the rest.
 *
 * <p><b>Contract.</b> Every method forwards to {@link #delegate()} unchanged; a subclass
 * overrides only the calls it changes.
 */
public abstract class ForwardingRunStore implements RunStore {

    private final RunStore delegate;

    protected ForwardingRunStore(RunStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store the calls go to. */
    protected final RunStore delegate() {
        return delegate;
    }

    @Override
    public void saveRun(SyncRun run) {
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
        delegate.saveCheckpoint(checkpoint);
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
}
