package com.castiel.sync.engine;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.spi.SyncException;

/**
 * Watches inbound jobs finish, for metrics and structured logs. Implementations must not throw.
 */
public interface JobObserver {

    /** Observes nothing. */
    JobObserver NONE = new JobObserver() {
        @Override
        public void jobCompleted(Integration integration, SyncJobMessage message, SyncRun run) {
        }

        @Override
        public void jobFailed(Integration integration, SyncJobMessage message, SyncException error, long durationMs) {
        }
    };

    void jobCompleted(Integration integration, SyncJobMessage message, SyncRun run);

    void jobFailed(Integration integration, SyncJobMessage message, SyncException error, long durationMs);
}
