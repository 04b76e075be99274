package com.castiel.sync.port;

import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Run history, checkpoints, per-entity sync positions and the seen-set of full scans.
 * Thread-safe; every write is durable when the method returns.
 */
public interface RunStore {

    /** Inserts or replaces a run by id. */
    void saveRun(SyncRun run);

    Optional<SyncRun> run(TenantId tenant, RunId id);

    /** Most recent runs of an integration, newest first. */
    List<SyncRun> history(TenantId tenant, IntegrationId integration, int limit);

    /** The checkpoint of an unfinished run, if one exists. */
    Optional<SyncCheckpoint> checkpoint(TenantId tenant, IntegrationId integration);

    void saveCheckpoint(SyncCheckpoint checkpoint);

    void clearCheckpoint(TenantId tenant, IntegrationId integration);

    Optional<EntitySyncState> entityState(TenantId tenant, IntegrationId integration, String entity);

    void saveEntityState(EntitySyncState state);

    /** Records external ids seen by a full scan (for the sweep after a verified complete scan). */
    void markSeen(RunId run, String entity, Collection<String> externalIds);

    /** Which of {@code externalIds} the run has seen. */
    Set<String> seenAmong(RunId run, String entity, Collection<String> externalIds);

    /** Drops a run's seen-set. */
    void clearSeen(RunId run);
}
