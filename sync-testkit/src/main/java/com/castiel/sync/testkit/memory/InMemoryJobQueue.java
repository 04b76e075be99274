package com.castiel.sync.testkit.memory;

import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A {@link JobQueue} in memory with the Service Bus semantics documented on the port: peek-lock
 * with lock tokens, delivery counts, {@code MaxDeliveryCountExceeded} and {@code TTLExpiredException}
 * dead-lettering, scheduled enqueue, duplicate detection and sessions. The reference
 * implementation of {@code JobQueueContract}.
 *
 * <p><b>Time.</b> Every visibility decision (lock expiry, TTL, scheduled time, duplicate window,
 * session lock) reads the injected clock; moving a {@code MutableClock} takes effect at the next
 * operation. Expiry is applied lazily when a queue is next touched, which is indistinguishable
 * through the port from a broker that expires eagerly. Receives with a positive {@code maxWait}
 * block for at most that long in real time, waking on every change to the queue and re-checking
 * the clock every 20 ms; tests pass {@link Duration#ZERO} for a single non-blocking look.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li>A lock lasts the queue's lock duration and is valid strictly before {@code lockedUntil}.
 *       Settling or renewing with a token that is expired, already settled or unknown throws
 *       {@link MessageLockLostException}.</li>
 *   <li>Abandoning a message, or losing its lock, when its delivery count has reached the queue's
 *       {@code maxDeliveryCount} dead-letters it with reason {@code MaxDeliveryCountExceeded}, as
 *       Service Bus does; a receive never returns a count above the maximum.</li>
 *   <li>A message's TTL is its own or the queue default, whichever is shorter, counted from when
 *       it became visible (its scheduled time for scheduled messages). Locked messages do not
 *       expire until their lock is released.</li>
 *   <li>Duplicate detection remembers a message id for the queue's window from when it was
 *       accepted; a replayed dead letter bypasses it.</li>
 *   <li>Sessions: a session lock lasts the queue's lock duration and is extended by each receive
 *       and each lock renewal in the session. Messages received in a session stay locked only
 *       while the session is held: closing the receiver, or losing the session lock, makes them
 *       available again with their delivery count kept. A receiver whose session lock has
 *       expired throws {@link MessageLockLostException} from {@code receive}.</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards all queues. {@link #close()} wakes blocked receivers; every
 * later operation throws {@link IllegalStateException}.
 */
public final class InMemoryJobQueue implements JobQueue {

    /** Service Bus's dead-letter reason for messages delivered too often. */
    public static final String MAX_DELIVERY_COUNT_EXCEEDED = "MaxDeliveryCountExceeded";
    /** Service Bus's dead-letter reason for messages whose TTL ran out. */
    public static final String TTL_EXPIRED = "TTLExpiredException";

    private static final long CLOCK_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Clock clock;
    private final Map<String, QueueState> queues = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean closed;

    /** A queue holding the seed's three work queues ({@link QueueSpec#ALL}). */
    public InMemoryJobQueue(Clock clock) {
        this(clock, QueueSpec.ALL);
    }

    /**
     * A queue holding the given work queues.
     *
     * @throws IllegalArgumentException when two specs share a name
     */
    public InMemoryJobQueue(Clock clock, Collection<QueueSpec> specs) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (QueueSpec spec : Objects.requireNonNull(specs, "specs")) {
            if (queues.putIfAbsent(spec.name(), new QueueState(spec)) != null) {
                throw new IllegalArgumentException("queue '" + spec.name() + "' is specified twice");
            }
        }
    }

    @Override
    public void send(String queue, OutgoingMessage message) {
        sendAll(queue, List.of(Objects.requireNonNull(message, "message")));
    }

    /** Validates every message first, then enqueues all of them under one lock: all or nothing. */
    @Override
    public void sendAll(String queue, List<OutgoingMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        QueueState q = queue(queue);
        for (int i = 0; i < messages.size(); i++) {
            validate(q.spec, Objects.requireNonNull(messages.get(i), "messages[" + i + "]"), i);
        }
        lock.lock();
        try {
            requireOpen();
            Instant now = clock.instant();
            forgetOldMessageIds(q, now);
            for (OutgoingMessage m : messages) {
                if (q.recentIds.containsKey(m.messageId())) {
                    continue;
                }
                q.recentIds.put(m.messageId(), now);
                Instant visibleAt = m.scheduledEnqueueTime() != null && m.scheduledEnqueueTime().isAfter(now) ? m.scheduledEnqueueTime() : now;
                Duration ttl = m.timeToLive() == null || m.timeToLive().compareTo(q.spec.defaultTimeToLive()) > 0
                        ? q.spec.defaultTimeToLive() : m.timeToLive();
                q.enqueue(m.messageId(), m.sessionId(), m.body().clone(), m.correlationId(), m.properties(), visibleAt, visibleAt.plus(ttl));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void validate(QueueSpec spec, OutgoingMessage m, int index) {
        String where = "messages[" + index + "] (id " + m.messageId() + ")";
        if (spec.requiresSession() && (m.sessionId() == null || m.sessionId().isEmpty())) {
            throw new IllegalArgumentException(where + ": sessionId is required on session queue '" + spec.name() + "'");
        }
        if (!spec.requiresSession() && m.sessionId() != null) {
            throw new IllegalArgumentException(where + ": sessionId is not allowed on queue '" + spec.name() + "', which has no sessions");
        }
        if (m.timeToLive() != null && (m.timeToLive().isZero() || m.timeToLive().isNegative())) {
            throw new IllegalArgumentException(where + ": timeToLive must be positive, was " + m.timeToLive());
        }
    }

    private static void forgetOldMessageIds(QueueState q, Instant now) {
        // Insertion order is acceptance order, so the first id still inside its window ends the scan.
        Iterator<Map.Entry<String, Instant>> it = q.recentIds.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Instant> e = it.next();
            if (now.isBefore(e.getValue().plus(q.spec.duplicateDetectionWindow()))) {
                break;
            }
            it.remove();
        }
    }

    @Override
    public Optional<LockedMessage> receive(String queue, Duration maxWait) {
        QueueState q = queue(queue);
        if (q.spec.requiresSession()) {
            throw new IllegalArgumentException("queue '" + queue + "' requires sessions: use acceptSession");
        }
        return awaitFor(maxWait, () -> {
            Instant now = clock.instant();
            for (StoredMessage m = first(q.messages); m != null; m = next(q.messages, m)) {
                if (!m.visibleAt.isAfter(now) && !isLocked(q, m, now) && stillDeliverable(q, m, now)) {
                    return Optional.of(deliver(q, m, now, null));
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public Optional<SessionReceiver> acceptSession(String queue, Duration maxWait) {
        QueueState q = queue(queue);
        if (!q.spec.requiresSession()) {
            throw new IllegalArgumentException("queue '" + queue + "' has no sessions: use receive");
        }
        return awaitFor(maxWait, () -> {
            Instant now = clock.instant();
            for (StoredMessage m = first(q.messages); m != null; m = next(q.messages, m)) {
                if (!m.visibleAt.isAfter(now) && !isLocked(q, m, now) && !sessionHeld(q, m.sessionId, now)
                        && stillDeliverable(q, m, now)) {
                    SessionLock held = new SessionLock(UUID.randomUUID().toString(), now.plus(q.spec.lockDuration()));
                    q.sessions.put(m.sessionId, held);
                    return Optional.of(new InMemorySessionReceiver(q, m.sessionId, held.token));
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public void complete(LockedMessage message) {
        settle(message, (q, m, now) -> q.remove(m));
    }

    @Override
    public void abandon(LockedMessage message) {
        settle(message, (q, m, now) -> {
            m.unlock();
            if (m.deliveryCount >= q.spec.maxDeliveryCount()) {
                deadLetterExhausted(q, m, now);
            }
        });
    }

    @Override
    public void deadLetter(LockedMessage message, String reason, String description) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        settle(message, (q, m, now) -> moveToDeadLetters(q, m, reason, description, now));
    }

    @Override
    public LockedMessage renewLock(LockedMessage message) {
        List<LockedMessage> renewed = new ArrayList<>(1);
        settle(message, (q, m, now) -> {
            m.lockedUntil = now.plus(q.spec.lockDuration());
            if (m.sessionId != null) {
                q.sessions.get(m.sessionId).extendTo(m.lockedUntil);
            }
            renewed.add(toLocked(q, m));
        });
        return renewed.get(0);
    }

    @Override
    public QueueStats stats(String queue) {
        QueueState q = queue(queue);
        lock.lock();
        try {
            requireOpen();
            Instant now = clock.instant();
            expire(q, now);
            long scheduled = q.messages.values().stream().filter(m -> m.visibleAt.isAfter(now)).count();
            return new QueueStats(q.messages.size() - scheduled, scheduled, q.deadLetters.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        QueueState q = queue(queue);
        lock.lock();
        try {
            requireOpen();
            expire(q, clock.instant());
            return q.deadLetters.values().stream().limit(limit).map(InMemoryJobQueue::copy).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a dead letter back as a new message: new sequence number, delivery count 0, visible
     * now, the queue's full TTL; id, session, correlation id and properties are kept.
     * {@code transform} runs before anything changes, so a transform that throws loses nothing.
     *
     * @throws IllegalArgumentException when {@code transform} returns {@code null}
     */
    @Override
    public boolean replayDeadLetter(String queue, long sequenceNumber, UnaryOperator<byte[]> transform) {
        Objects.requireNonNull(transform, "transform");
        QueueState q = queue(queue);
        lock.lock();
        try {
            requireOpen();
            DeadLetter dl = q.deadLetters.get(sequenceNumber);
            if (dl == null) {
                return false;
            }
            byte[] body = transform.apply(dl.body().clone());
            if (body == null) {
                throw new IllegalArgumentException("replay transform returned no body for dead letter " + sequenceNumber + " of queue '" + queue + "'");
            }
            q.deadLetters.remove(sequenceNumber);
            Instant now = clock.instant();
            q.enqueue(dl.messageId(), dl.sessionId(), body.clone(), dl.correlationId(), dl.properties(), now, now.plus(q.spec.defaultTimeToLive()));
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int purgeDeadLetters(String queue, Long sequenceNumber) {
        QueueState q = queue(queue);
        lock.lock();
        try {
            requireOpen();
            if (sequenceNumber == null) {
                int n = q.deadLetters.size();
                q.deadLetters.clear();
                return n;
            }
            return q.deadLetters.remove(sequenceNumber) == null ? 0 : 1;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes blocked receivers; later operations throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- internals; every method below runs with the lock held ----

    private QueueState queue(String name) {
        Objects.requireNonNull(name, "queue");
        QueueState q = queues.get(name);
        if (q == null) {
            throw new IllegalArgumentException("unknown queue '" + name + "'; known queues: " + queues.keySet());
        }
        return q;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
    }

    private <T> Optional<T> awaitFor(Duration maxWait, java.util.function.Supplier<Optional<T>> attempt) {
        Objects.requireNonNull(maxWait, "maxWait");
        long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
        lock.lock();
        try {
            while (true) {
                requireOpen();
                Optional<T> got = attempt.get();
                if (got.isPresent()) {
                    return got;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                try {
                    changed.awaitNanos(Math.min(remaining, CLOCK_RECHECK_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Applies lock loss, delivery-count exhaustion and TTL expiry to every idle visible message. */
    private void expire(QueueState q, Instant now) {
        for (StoredMessage m = first(q.messages); m != null; m = next(q.messages, m)) {
            if (!m.visibleAt.isAfter(now) && !isLocked(q, m, now)) {
                stillDeliverable(q, m, now);
            }
        }
    }

    /**
     * Applies what time decided for a visible message that is not locked: a lost lock is cleared
     * (and exhausts the message at the maximum delivery count), an expired TTL dead-letters or
     * drops it.
     *
     * @return whether the message is still in the queue and may be delivered
     */
    private boolean stillDeliverable(QueueState q, StoredMessage m, Instant now) {
        if (m.lockToken != null) {
            m.unlock();
            if (m.deliveryCount >= q.spec.maxDeliveryCount()) {
                deadLetterExhausted(q, m, now);
                return false;
            }
        }
        if (!now.isBefore(m.expiresAt)) {
            if (q.spec.deadLetteringOnMessageExpiration()) {
                moveToDeadLetters(q, m, TTL_EXPIRED, "The message expired at " + m.expiresAt + " and was dead-lettered.", now);
            } else {
                q.remove(m);
            }
            return false;
        }
        return true;
    }

    // Walks by key so the loop body may remove the current message without invalidating the walk.
    private static StoredMessage first(TreeMap<Long, StoredMessage> messages) {
        Map.Entry<Long, StoredMessage> e = messages.firstEntry();
        return e == null ? null : e.getValue();
    }

    private static StoredMessage next(TreeMap<Long, StoredMessage> messages, StoredMessage current) {
        Map.Entry<Long, StoredMessage> e = messages.higherEntry(current.sequence);
        return e == null ? null : e.getValue();
    }

    private void deadLetterExhausted(QueueState q, StoredMessage m, Instant now) {
        moveToDeadLetters(q, m, MAX_DELIVERY_COUNT_EXCEEDED,
                "Message could not be consumed after " + m.deliveryCount + " delivery attempts.", now);
    }

    private static void moveToDeadLetters(QueueState q, StoredMessage m, String reason, String description, Instant now) {
        q.remove(m);
        long seq = q.nextDeadLetterSequence++;
        q.deadLetters.put(seq, new DeadLetter(q.spec.name(), m.messageId, seq, m.sessionId, m.body, m.correlationId,
                reason, description, m.deliveryCount, now, m.properties));
    }

    private static boolean isLocked(QueueState q, StoredMessage m, Instant now) {
        if (m.lockToken == null || !now.isBefore(m.lockedUntil)) {
            return false;
        }
        if (m.sessionId == null) {
            return true;
        }
        SessionLock s = q.sessions.get(m.sessionId);
        return s != null && s.token.equals(m.sessionToken) && now.isBefore(s.lockedUntil);
    }

    private static boolean sessionHeld(QueueState q, String sessionId, Instant now) {
        SessionLock s = q.sessions.get(sessionId);
        return s != null && now.isBefore(s.lockedUntil);
    }

    private static LockedMessage deliver(QueueState q, StoredMessage m, Instant now, String sessionToken) {
        m.deliveryCount++;
        m.lockToken = UUID.randomUUID().toString();
        m.lockedUntil = now.plus(q.spec.lockDuration());
        m.sessionToken = sessionToken;
        return toLocked(q, m);
    }

    private static LockedMessage toLocked(QueueState q, StoredMessage m) {
        return new LockedMessage(q.spec.name(), m.messageId, m.sequence, m.sessionId, m.body.clone(), m.correlationId,
                m.deliveryCount, m.visibleAt, m.expiresAt, m.lockToken, m.lockedUntil, m.properties);
    }

    private static DeadLetter copy(DeadLetter d) {
        return new DeadLetter(d.queue(), d.messageId(), d.sequenceNumber(), d.sessionId(), d.body().clone(), d.correlationId(),
                d.reason(), d.description(), d.deliveryCount(), d.deadLetteredAt(), d.properties());
    }

    private interface Settlement {
        void apply(QueueState q, StoredMessage m, Instant now);
    }

    private void settle(LockedMessage message, Settlement settlement) {
        Objects.requireNonNull(message, "message");
        QueueState q = queue(message.queue());
        lock.lock();
        try {
            requireOpen();
            Instant now = clock.instant();
            StoredMessage m = q.messages.get(message.sequenceNumber());
            if (m == null || !Objects.equals(m.lockToken, message.lockToken()) || !isLocked(q, m, now)) {
                throw new MessageLockLostException("the lock on message " + message.messageId() + " (sequence "
                        + message.sequenceNumber() + ") of queue '" + message.queue()
                        + "' has expired, was already settled, or belongs to a released session; it may have been redelivered");
            }
            settlement.apply(q, m, now);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The messages, dead letters, duplicate-detection history and session locks of one queue. */
    private static final class QueueState {
        final QueueSpec spec;
        final TreeMap<Long, StoredMessage> messages = new TreeMap<>();
        final TreeMap<Long, DeadLetter> deadLetters = new TreeMap<>();
        final LinkedHashMap<String, Instant> recentIds = new LinkedHashMap<>();
        final Map<String, SessionLock> sessions = new HashMap<>();
        final Map<String, TreeMap<Long, StoredMessage>> bySession = new HashMap<>();
        long nextSequence = 1;
        long nextDeadLetterSequence = 1;

        QueueState(QueueSpec spec) {
            this.spec = spec;
        }

        void enqueue(String messageId, String sessionId, byte[] body, String correlationId, Map<String, String> properties,
                     Instant visibleAt, Instant expiresAt) {
            long seq = nextSequence++;
            StoredMessage m = new StoredMessage(seq, messageId, sessionId, body, correlationId, properties, visibleAt, expiresAt);
            messages.put(seq, m);
            if (sessionId != null) {
                bySession.computeIfAbsent(sessionId, s -> new TreeMap<>()).put(seq, m);
            }
        }

        void remove(StoredMessage m) {
            messages.remove(m.sequence);
            if (m.sessionId != null) {
                TreeMap<Long, StoredMessage> session = bySession.get(m.sessionId);
                session.remove(m.sequence);
                if (session.isEmpty()) {
                    bySession.remove(m.sessionId);
                }
            }
        }
    }

    /** A message in a queue; mutable lock state, guarded by the queue's lock. */
    private static final class StoredMessage {
        final long sequence;
        final String messageId;
        final String sessionId;
        final byte[] body;
        final String correlationId;
        final Map<String, String> properties;
        final Instant visibleAt;
        final Instant expiresAt;
        int deliveryCount;
        String lockToken;
        Instant lockedUntil;
        String sessionToken;

        StoredMessage(long sequence, String messageId, String sessionId, byte[] body, String correlationId,
                      Map<String, String> properties, Instant visibleAt, Instant expiresAt) {
            this.sequence = sequence;
            this.messageId = messageId;
            this.sessionId = sessionId;
            this.body = body;
            this.correlationId = correlationId;
            this.properties = properties;
            this.visibleAt = visibleAt;
            this.expiresAt = expiresAt;
        }

        void unlock() {
            lockToken = null;
            lockedUntil = null;
            sessionToken = null;
        }
    }

    /** The current holder of a session. */
    private static final class SessionLock {
        final String token;
        Instant lockedUntil;

        SessionLock(String token, Instant lockedUntil) {
            this.token = token;
            this.lockedUntil = lockedUntil;
        }

        void extendTo(Instant until) {
            if (until.isAfter(lockedUntil)) {
                lockedUntil = until;
            }
        }
    }

    /** One accepted session; its receives deliver only the session's head message. */
    private final class InMemorySessionReceiver implements SessionReceiver {
        private final QueueState q;
        private final String sessionId;
        private final String token;
        private boolean released;

        InMemorySessionReceiver(QueueState q, String sessionId, String token) {
            this.q = q;
            this.sessionId = sessionId;
            this.token = token;
        }

        @Override
        public String sessionId() {
            return sessionId;
        }

        @Override
        public Optional<LockedMessage> receive(Duration maxWait) {
            return awaitFor(maxWait, () -> {
                if (released) {
                    throw new IllegalStateException("session '" + sessionId + "' of queue '" + q.spec.name() + "' was released");
                }
                Instant now = clock.instant();
                SessionLock held = q.sessions.get(sessionId);
                if (held == null || !held.token.equals(token) || !now.isBefore(held.lockedUntil)) {
                    throw new MessageLockLostException("the lock on session '" + sessionId + "' of queue '" + q.spec.name()
                            + "' has expired; accept the session again");
                }
                TreeMap<Long, StoredMessage> session = q.bySession.getOrDefault(sessionId, new TreeMap<>());
                for (StoredMessage m = first(session); m != null; m = next(session, m)) {
                    if (m.visibleAt.isAfter(now)) {
                        continue;
                    }
                    if (isLocked(q, m, now)) {
                        if (token.equals(m.sessionToken)) {
                            // Held by this receiver already: a session may batch several messages, in order.
                            continue;
                        }
                        return Optional.empty();
                    }
                    if (stillDeliverable(q, m, now)) {
                        LockedMessage delivered = deliver(q, m, now, token);
                        held.extendTo(delivered.lockedUntil());
                        return Optional.of(delivered);
                    }
                }
                return Optional.empty();
            });
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                SessionLock held = q.sessions.get(sessionId);
                if (held != null && held.token.equals(token)) {
                    q.sessions.remove(sessionId);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "SessionReceiver[" + q.spec.name() + "/" + sessionId + "]";
        }
    }

    @Override
    public String toString() {
        return "InMemoryJobQueue" + queues.keySet();
    }
}
