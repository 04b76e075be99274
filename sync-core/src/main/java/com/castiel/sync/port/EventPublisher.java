package com.castiel.sync.port;

import com.castiel.sync.event.SyncEvent;

/**
 * Publishes domain events (Event Grid in Azure, the local event log standalone). Publishing is
 * best effort for notifications: a failure is logged by the caller and never fails a sync.
 */
@FunctionalInterface
public interface EventPublisher {

    void publish(SyncEvent event);
}
