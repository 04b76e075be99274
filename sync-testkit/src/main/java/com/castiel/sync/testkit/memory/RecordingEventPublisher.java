package com.castiel.sync.testkit.memory;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.port.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link EventPublisher} that keeps every published event so tests can assert on them, and
 * can be told to fail to test that callers treat publishing as best effort.
 *
 * <p>Thread-safe; events are kept in publish order. A failed publish records nothing.
 */
public final class RecordingEventPublisher implements EventPublisher {

    private final List<SyncEvent> events = new ArrayList<>();
    private RuntimeException failure;

    @Override
    public synchronized void publish(SyncEvent event) {
        Objects.requireNonNull(event, "event");
        if (failure != null) {
            throw failure;
        }
        events.add(event);
    }

    /** Every recorded event, in publish order. */
    public synchronized List<SyncEvent> events() {
        return List.copyOf(events);
    }

    /** The recorded events of one type, in publish order. */
    public synchronized <E extends SyncEvent> List<E> eventsOfType(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The most recent event of one type. */
    public synchronized <E extends SyncEvent> Optional<E> lastOfType(Class<E> type) {
        List<E> matching = eventsOfType(type);
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
    }

    /** The recorded events with an Event Grid event type, e.g. {@code Castiel.Integration.SyncCompleted}. */
    public synchronized List<SyncEvent> eventsWithEventType(String eventType) {
        return events.stream().filter(e -> e.eventType().equals(eventType)).toList();
    }

    /** Makes every later publish throw {@code failure} until {@link #recover()}. */
    public synchronized void failWith(RuntimeException failure) {
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** Makes publishing succeed again. */
    public synchronized void recover() {
        this.failure = null;
    }

    /** Forgets the recorded events. */
    public synchronized void clear() {
        events.clear();
    }

    @Override
    public synchronized String toString() {
        return "RecordingEventPublisher[" + events.size() + " events]";
    }
}
