package com.castiel.sync.azure.eventgrid;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link EventPublisher} on an Azure Event Grid topic, in the Event Grid event schema: event type
 * and subject from the {@link SyncEvent} ({@code Castiel.Integration.*}), {@code data} = the
 * event's fields as Castiel JSON, {@code dataVersion} {@value #DATA_VERSION}, {@code eventTime} =
 * when it happened. Events carry ids and counts only, never secrets or record contents.
 *
 * <p>A failed publish throws (a retryable {@link SyncException} for throttling and outages);
 * callers treat notifications as best effort. Thread-safe.
 */
public final class EventGridEventPublisher implements EventPublisher {

    public static final String DATA_VERSION = "1.0";

    private final EventGridPublisherClient<EventGridEvent> client;

    public EventGridEventPublisher(EventGridPublisherClient<EventGridEvent> client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void publish(SyncEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            client.sendEvents(List.of(toEventGridEvent(event)));
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            String message = "Event Grid refused " + event.eventType() + " with status " + status;
            SyncException.Details details = SyncException.Details.of("eventgrid", status, null);
            throw switch (status) {
                case 429 -> new SyncException.RateLimited(message, null, details);
                case 408 -> new SyncException.Transient(ErrorCode.TIMEOUT, message, details);
                case 500, 502, 503, 504 -> new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, details);
                case 401, 403 -> new SyncException.Configuration(message + ": check EVENTGRID_KEY or the identity's"
                        + " 'EventGrid Data Sender' role", details);
                default -> new SyncException.Configuration(message, details);
            };
        }
    }

    /** The Event Grid form of an event (public for tests and for shells that batch). */
    public static EventGridEvent toEventGridEvent(SyncEvent event) {
        EventGridEvent e = new EventGridEvent(event.subject(), event.eventType(),
                BinaryData.fromObject(SyncJson.mapper().valueToTree(event)), DATA_VERSION);
        e.setEventTime(event.occurredAt().atOffset(ZoneOffset.UTC));
        return withId(e, event);
    }

    /**
     * A name-based id from the event's type and fields: the same event published again (a retried
     * job) keeps its id, for consumers that deduplicate.
     */
    private static EventGridEvent withId(EventGridEvent e, SyncEvent event) {
        String name = event.eventType() + "|" + event;
        return e.setId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return "EventGridEventPublisher";
    }
}
