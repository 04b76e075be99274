package com.castiel.sync.engine;

import com.castiel.sync.model.IntegrationId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps two scheduled runs of one integration from overlapping inside one process: they would
 * share (and fight over) the integration's checkpoint. Thread-safe.
 */
public final class IntegrationLocks {

    private final Set<IntegrationId> held = ConcurrentHashMap.newKeySet();

    /** Takes the lock if free; returns false when a run of the integration is in progress. */
    public boolean tryAcquire(IntegrationId id) {
        return held.add(id);
    }

    public void release(IntegrationId id) {
        held.remove(id);
    }

    public boolean isHeld(IntegrationId id) {
        return held.contains(id);
    }
}
