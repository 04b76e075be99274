package com.castiel.sync.standalone.admin;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.port.EventPublisher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone runtime's event publisher: every domain event goes to the log (the local event
 * log: one structured line per event) and the most recent ones are kept for the admin API and the
 * dashboard. Webhook receipts are logged at debug level only, since there can be thousands a
 * second. Events carry ids and counts, never secrets.
 *
 * <p>Thread-safe.
 */
public final class RecentEvents implements EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger("com.castiel.sync.events");

    private final int capacity;
    private final Deque<SyncEvent> recent = new ArrayDeque<>();

    /** @param capacity events kept for viewing */
    public RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    @Override
    public void publish(SyncEvent event) {
        if (event instanceof SyncEvent.WebhookReceived) {
            LOG.atDebug().setMessage("{}").addArgument(event::eventType).addKeyValue("integrationId", event.integrationId())
                    .addKeyValue("tenantId", event.tenantId()).log();
        } else {
            LOG.atInfo().setMessage("{}").addArgument(event::eventType).addKeyValue("integrationId", event.integrationId())
                    .addKeyValue("tenantId", event.tenantId()).addKeyValue("event", event).log();
        }
        synchronized (recent) {
            recent.addFirst(event);
            while (recent.size() > capacity) {
                recent.removeLast();
            }
        }
    }

    /** The newest {@code limit} events, newest first. */
    public List<SyncEvent> newest(int limit) {
        synchronized (recent) {
            List<SyncEvent> out = new ArrayList<>(Math.min(limit, recent.size()));
            for (SyncEvent e : recent) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(e);
            }
            return out;
        }
    }
}
