package com.castiel.sync.testkit.jobs;

import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Wraps a real {@link JobQueue} to record every send attempt (including those duplicate detection
 * later drops, which the queue's contents cannot show) and to inject the failures a broker or a
 * crash produces: a send that fails, a complete that never happens.
 */
final class ObservedJobQueue implements JobQueue {

    private final JobQueue delegate;
    private final List<OutgoingMessage> sends = new ArrayList<>();
    private RuntimeException sendFailure;
    private RuntimeException completeFailure;

    ObservedJobQueue(JobQueue delegate) {
        this.delegate = delegate;
    }

    /** Every later send throws {@code failure} until {@link #heal()}. */
    synchronized void failSends(RuntimeException failure) {
        this.sendFailure = failure;
    }

    /** Every later complete throws {@code failure} (the process "dies" before settling) until {@link #heal()}. */
    synchronized void failCompletes(RuntimeException failure) {
        this.completeFailure = failure;
    }

    synchronized void heal() {
        sendFailure = null;
        completeFailure = null;
    }

    /** Messages passed to send, accepted or not by duplicate detection. */
    synchronized List<OutgoingMessage> sends() {
        return List.copyOf(sends);
    }

    @Override
    public void send(String queue, OutgoingMessage message) {
        synchronized (this) {
            if (sendFailure != null) {
                throw sendFailure;
            }
            sends.add(message);
        }
        delegate.send(queue, message);
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
    public void complete(LockedMessage message) {
        synchronized (this) {
            if (completeFailure != null) {
                throw completeFailure;
            }
        }
        delegate.complete(message);
    }

    @Override
    public void abandon(LockedMessage message) {
        delegate.abandon(message);
    }

    @Override
    public void deadLetter(LockedMessage message, String reason, String description) {
        delegate.deadLetter(message, reason, description);
    }

    @Override
    public LockedMessage renewLock(LockedMessage message) {
        return delegate.renewLock(message);
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
