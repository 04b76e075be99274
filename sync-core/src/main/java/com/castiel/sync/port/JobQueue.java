package com.castiel.sync.port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Durable work queues with Azure Service Bus semantics, so the engine behaves the same on Service
 * Bus and on the embedded queue:
 *
 * <ul>
 *   <li><b>Peek-lock.</b> {@link #receive} locks a message for the queue's lock duration;
 *       {@link #complete} removes it; {@link #abandon} makes it visible again at once;
 *       {@link #deadLetter} moves it to the dead-letter sub-queue. A lock that expires makes it
 *       visible again.</li>
 *   <li><b>Delivery count.</b> Each receive increments it; receiving a message whose count would
 *       exceed {@code maxDeliveryCount} dead-letters it with reason
 *       {@code MaxDeliveryCountExceeded} instead.</li>
 *   <li><b>TTL.</b> An expired message is dead-lettered ({@code TTLExpiredException}) when the
 *       queue dead-letters on expiration, dropped otherwise; never delivered. The TTL counts from
 *       when the message becomes visible (its scheduled time for a scheduled message).</li>
 *   <li><b>Scheduled enqueue.</b> A message with a scheduled time is invisible until then.</li>
 *   <li><b>Duplicate detection.</b> A message id sent again within the detection window is
 *       dropped.</li>
 *   <li><b>Sessions.</b> On session queues, {@link #acceptSession} locks one session
 *       exclusively; its messages are received in sequence order. The owning receiver may hold
 *       several locked messages of its session at once (so consecutive messages can be processed
 *       as a batch); an abandoned message is redelivered before any later message of its
 *       session.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe, use the injected clock for every time decision, and block
 * at most {@code maxWait} in receives.
 */
public interface JobQueue extends AutoCloseable {

    /** Sends one message; durable when the method returns. */
    void send(String queue, OutgoingMessage message);

    /** Sends several messages in one durable step. */
    default void sendAll(String queue, List<OutgoingMessage> messages) {
        for (OutgoingMessage m : messages) {
            send(queue, m);
        }
    }

    /**
     * Receives the next visible message of a non-session queue, waiting up to {@code maxWait}.
     *
     * @throws IllegalArgumentException for an unknown queue or a session queue
     */
    Optional<LockedMessage> receive(String queue, Duration maxWait);

    /**
     * Locks the next session that has a visible message and no current owner, waiting up to
     * {@code maxWait}. The session lock lasts the queue's lock duration and is extended by each
     * receive and each lock renewal in the session; once it expires, another receiver may accept
     * the session and the messages received under the old lock can no longer be settled.
     */
    Optional<SessionReceiver> acceptSession(String queue, Duration maxWait);

    void complete(LockedMessage message);

    /**
     * Completes several messages, in order, as if by {@link #complete} one after another, in as
     * few durable steps as the backend allows. When a message's lock turns out to be lost, the
     * messages before it are completed, it and the ones after it are not, and the method throws
     * {@link MessageLockLostException}.
     *
     * <p>The default completes them one at a time.
     */
    default void completeAll(List<LockedMessage> messages) {
        for (LockedMessage m : messages) {
            complete(m);
        }
    }

    void abandon(LockedMessage message);

    void deadLetter(LockedMessage message, String reason, String description);

    /** Extends the lock by the queue's lock duration from now; returns the new expiry. */
    LockedMessage renewLock(LockedMessage message);

    /** Message counts of a queue. */
    QueueStats stats(String queue);

    /** The oldest dead letters of a queue. */
    List<DeadLetter> deadLetters(String queue, int limit);

    /**
     * Moves a dead letter back to its queue with a fresh delivery count. The message keeps its id
     * and session and is not subject to duplicate detection.
     *
     * @param transform rewrites the body (e.g. to reset the job's attempt counter)
     * @return false when no such dead letter exists
     */
    boolean replayDeadLetter(String queue, long sequenceNumber, java.util.function.UnaryOperator<byte[]> transform);

    /** Deletes dead letters; {@code sequenceNumber} null purges them all. Returns how many. */
    int purgeDeadLetters(String queue, Long sequenceNumber);

    @Override
    default void close() {
    }

    /**
     * An exclusively locked session. Messages are received in order; the session is held until
     * {@link #close()} or its lock expires.
     */
    interface SessionReceiver extends AutoCloseable {

        String sessionId();

        /** The next message of this session, waiting up to {@code maxWait}. */
        Optional<LockedMessage> receive(Duration maxWait);

        /**
         * The next messages of this session, in sequence order: waits up to {@code maxWait} for
         * the first, then takes, without waiting, those visible behind it, at most
         * {@code maxMessages} in all. Each message is locked and counted as by {@link #receive};
         * the list is what {@link #receive} would have returned call after call, and it stops
         * early where {@link #receive} would have returned nothing.
         *
         * <p>The default receives one message at a time; stores that can lock several messages
         * in one step should override it.
         *
         * @param maxMessages at least 1
         * @return the messages, empty when none arrived in time
         */
        default List<LockedMessage> receiveBatch(int maxMessages, Duration maxWait) {
            if (maxMessages < 1) {
                throw new IllegalArgumentException("maxMessages must be at least 1, was " + maxMessages);
            }
            Optional<LockedMessage> first = receive(maxWait);
            if (first.isEmpty()) {
                return List.of();
            }
            List<LockedMessage> out = new ArrayList<>(Math.min(maxMessages, 64));
            out.add(first.get());
            while (out.size() < maxMessages) {
                Optional<LockedMessage> next = receive(Duration.ZERO);
                if (next.isEmpty()) {
                    break;
                }
                out.add(next.get());
            }
            return out;
        }

        /**
         * Releases the session so another receiver can accept it. Messages received through this
         * receiver and not yet settled lose their lock and become available again, their delivery
         * count kept.
         */
        @Override
        void close();
    }

    /**
     * Counts.
     *
     * @param active visible or locked messages
     * @param scheduled messages waiting for their scheduled time
     * @param deadLettered messages in the dead-letter sub-queue
     */
    record QueueStats(long active, long scheduled, long deadLettered) {
    }
}
