package com.castiel.sync.port;

import com.castiel.sync.event.SyncEvent;

/**
 * Publishes domain events (Event Grid in Azure, the local event log standalone). Publishing is
 * best effort for notifications: a failure is logged by the caller and never fails a sync.
 *
 * <p>Implementations are thread-safe; the engine publishes from many virtual threads at once.
 */
@FunctionalInterface
public interface EventPublisher {

    /**
     * Publishes one event; may block on I/O.
     *
     * @param event never {@code null}
     * @throws RuntimeException when the event could not be published; callers log it and go on
     */
    void publish(SyncEvent event);
}
