package com.castiel.sync.azure.functions;

import com.castiel.sync.azure.servicebus.DeadLetterHandOff;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The job queue as the core handlers see it inside a Service Bus function. Everything goes to the
 * real queue except the settlement of trigger messages, which the Functions host owns: it
 * completes a trigger message when the function returns and abandons it when the function throws.
 * So settling a message {@link #admit admitted} here records the decision, which the function then
 * carries out:
 *
 * <ul>
 *   <li>complete: the function returns;</li>
 *   <li>abandon: the function throws {@link RedeliveryRequested};</li>
 *   <li>dead-letter: a {@link DeadLetterHandOff} copy is sent now and the function returns;</li>
 *   <li>lock renewal: nothing to do, the host renews trigger locks itself.</li>
 * </ul>
 *
 * <p>Thread-safe; each trigger message is tracked by its lock token until its decision is taken.
 */
public final class TriggerQueue implements JobQueue {

    /** What the core decided for a trigger message. */
    public enum Decision { COMPLETE, ABANDON, DEAD_LETTER }

    private final JobQueue delegate;
    private final Map<String, Optional<Decision>> trigger = new ConcurrentHashMap<>();

    public TriggerQueue(JobQueue delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Starts tracking a trigger message. */
    public LockedMessage admit(LockedMessage message) {
        trigger.put(message.lockToken(), Optional.empty());
        return message;
    }

    /** The decision taken for a trigger message (empty when none was), and stops tracking it. */
    public Optional<Decision> release(LockedMessage message) {
        Optional<Decision> d = trigger.remove(message.lockToken());
        return d == null ? Optional.empty() : d;
    }

    /** The real queue. */
    public JobQueue delegate() {
        return delegate;
    }

    private boolean decide(LockedMessage message, Decision decision) {
        return trigger.computeIfPresent(message.lockToken(), (k, v) -> {
            if (v.isPresent()) {
                throw new com.castiel.sync.port.MessageLockLostException("trigger message " + message.messageId() + " was already settled ("
                        + v.get() + ")");
            }
            return Optional.of(decision);
        }) != null;
    }

    @Override
    public void complete(LockedMessage message) {
        if (!decide(message, Decision.COMPLETE)) {
            delegate.complete(message);
        }
    }

    @Override
    public void abandon(LockedMessage message) {
        if (!decide(message, Decision.ABANDON)) {
            delegate.abandon(message);
        }
    }

    @Override
    public void deadLetter(LockedMessage message, String reason, String description) {
        if (trigger.containsKey(message.lockToken())) {
            delegate.send(message.queue(), DeadLetterHandOff.copyOf(message, reason, description));
            decide(message, Decision.DEAD_LETTER);
            return;
        }
        delegate.deadLetter(message, reason, description);
    }

    @Override
    public LockedMessage renewLock(LockedMessage message) {
        return trigger.containsKey(message.lockToken()) ? message : delegate.renewLock(message);
    }

    @Override
    public void send(String queue, OutgoingMessage message) {
        delegate.send(queue, message);
    }

    @Override
    public void sendAll(String queue, List<OutgoingMessage> messages) {
        delegate.sendAll(queue, messages);
    }

    @Override
    public Optional<LockedMessage> receive(String queue, Duration maxWait) {
        return delegate.receive(queue, maxWait);
    }

    @Override
    public Optional<SessionReceiver> acceptSession(String queue, Duration maxWait) {
        return delegate.acceptSession(queue, maxWait);
    }

    @Override
    public QueueStats stats(String queue) {
        return delegate.stats(queue);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        return delegate.deadLetters(queue, limit);
    }

    @Override
    public boolean replayDeadLetter(String queue, long sequenceNumber, UnaryOperator<byte[]> transform) {
        return delegate.replayDeadLetter(queue, sequenceNumber, transform);
    }

    @Override
    public int purgeDeadLetters(String queue, Long sequenceNumber) {
        return delegate.purgeDeadLetters(queue, sequenceNumber);
    }
}
