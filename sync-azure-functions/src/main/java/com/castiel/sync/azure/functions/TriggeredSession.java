package com.castiel.sync.azure.functions;

import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The session a session-enabled Service Bus trigger delivered: the host holds the session lock
 * and hands the function its messages; this receiver yields them, in order, and then reports the
 * session as drained. Closing it releases nothing: the host releases the session.
 */
final class TriggeredSession implements JobQueue.SessionReceiver {

    private final String sessionId;
    private final Deque<LockedMessage> delivered;

    TriggeredSession(String sessionId, List<LockedMessage> messages) {
        this.sessionId = sessionId;
        this.delivered = new ArrayDeque<>(messages);
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public Optional<LockedMessage> receive(Duration maxWait) {
        return Optional.ofNullable(delivered.poll());
    }

    @Override
    public void close() {
        delivered.clear();
    }
}
