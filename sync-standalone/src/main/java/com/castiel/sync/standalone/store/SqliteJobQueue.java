package com.castiel.sync.standalone.store;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.standalone.store.sqlite.Durability;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link JobQueue} of the standalone runtime: Azure Service Bus semantics (peek-lock,
 * delivery counts, TTL, scheduled enqueue, duplicate detection, sessions, dead-letter
 * sub-queues) on tables of the embedded SQLite database.
 *
 * <p><b>Durability.</b> {@link #send}, {@link #sendAll} and {@link #replayDeadLetter} return only
 * after their transaction is committed with a log flush ({@link Durability#POWER_LOSS}): an
 * accepted webhook survives a process crash, an operating-system crash and a power loss, which
 * matters because the provider got its 200 and will not send the event again. To make that
 * affordable, concurrent sends are group-committed ({@link SendGroupCommit}): all sends waiting
 * while one flush runs share the next transaction and flush, so durable throughput scales with
 * concurrency rather than stopping at one flush per message. Settlements (complete, abandon,
 * dead-letter), receives and lock renewals are {@link Durability#PROCESS_CRASH}: after a power
 * loss the worst case is that a settled message is delivered again, which at-least-once
 * consumers already handle.
 *
 * <p><b>Rules</b>, the same as the in-memory reference queue of the test kit:
 * <ul>
 *   <li>A lock lasts the queue's lock duration and is valid strictly before
 *       {@code lockedUntil}. Settling or renewing with an expired, superseded, settled or unknown
 *       token throws {@link MessageLockLostException}.</li>
 *   <li>Abandoning a message, or losing its lock, when its delivery count has reached
 *       {@code maxDeliveryCount} dead-letters it with reason {@code MaxDeliveryCountExceeded}.</li>
 *   <li>A message's TTL is its own or the queue default, whichever is shorter, counted from when
 *       it becomes visible; an expired message is dead-lettered ({@code TTLExpiredException}) or
 *       dropped per the queue, never delivered. Locked messages expire only once unlocked.
 *       Expiry is applied when the queue is next read (receive, accept, stats, dead-letter
 *       listing), which no caller can tell apart from eager expiry.</li>
 *   <li>Duplicate detection remembers a message id for the queue's window from acceptance, also
 *       after the message was completed; a replayed dead letter bypasses it.</li>
 *   <li>Non-session queues deliver the message that became receivable first (ties by sequence
 *       number); an abandoned message keeps its place.</li>
 *   <li>Sessions: {@link #acceptSession} locks a session that has a receivable message and no
 *       live owner. The session lock lasts the lock duration and is extended by each receive and
 *       lock renewal in it. {@link SessionReceiver#receive} returns the session's next message in
 *       sequence order that this receiver has not already locked, so a receiver may hold several
 *       consecutive messages at once (for batched write-back); an abandoned message is the next
 *       one delivered again, before any later message. Closing the receiver releases the session
 *       and its unsettled messages (delivery counts kept); once the session lock expires,
 *       {@code receive} throws {@link MessageLockLostException}.</li>
 * </ul>
 *
 * <p><b>Time</b> comes only from the injected clock. Receives with a positive {@code maxWait}
 * block in real time for at most that long, woken by every send, abandon, session release or
 * replay on the queue and re-checking at least every 200 ms (earlier when a scheduled message or
 * lock is due sooner by the clock).
 *
 * <p>Thread-safe. {@link #close()} wakes blocked receivers; every later call throws
 * {@link IllegalStateException}, except closing session receivers, which still release their
 * sessions. It does not close the database, which belongs to {@link EmbeddedStorage}.
 */
public final class SqliteJobQueue implements JobQueue {

    /** Service Bus's dead-letter reason for messages delivered too often. */
    public static final String MAX_DELIVERY_COUNT_EXCEEDED = "MaxDeliveryCountExceeded";
    /** Service Bus's dead-letter reason for messages whose TTL ran out. */
    public static final String TTL_EXPIRED = "TTLExpiredException";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteJobQueue.class);
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int CANDIDATES = 16;
    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() { };
    /** Everything receives decide on; body and properties are read only for the message delivered. */
    private static final String COLUMNS = "seq, message_id, session_id, correlation_id, visible_at, expires_at,"
            + " delivery_count, lock_token, locked_until, session_token";

    private final SqliteDatabase db;
    private final Clock clock;
    private final Map<String, QueueRef> queues = new LinkedHashMap<>();
    private final Map<Long, QueueRef> queuesById = new HashMap<>();
    private final SendGroupCommit<SendRequest> sends;
    private volatile boolean closed;

    /**
     * A queue over {@code db} holding the given work queues; rows of other queues in the file are
     * kept untouched.
     *
     * @throws IllegalArgumentException when two specs share a name
     */
    public SqliteJobQueue(SqliteDatabase db, Clock clock, Collection<QueueSpec> specs) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(specs, "specs");
        for (QueueSpec spec : specs) {
            if (queues.containsKey(spec.name())) {
                throw new IllegalArgumentException("queue '" + spec.name() + "' is specified twice");
            }
            long id = db.write(Durability.PROCESS_CRASH, c -> queueId(c, spec.name()));
            QueueRef ref = new QueueRef(spec, id, new QueueWakeups());
            queues.put(spec.name(), ref);
            queuesById.put(id, ref);
        }
        this.sends = new SendGroupCommit<>(db, this::writeGroup);
    }

    /**
     * Releases every message and session lock: called when storage opens, while the data
     * directory's lock proves no other process can be holding them. Locks found then belong to a
     * process that died, and waiting out their duration (up to the queue's lock time) would only
     * delay recovery. Delivery counts are kept, as after a lock expiry.
     *
     * @return how many message locks were released
     */
    public int releaseLocksOfPreviousProcess() {
        int released = db.write(Durability.PROCESS_CRASH, c -> {
            int n;
            try (PreparedStatement p = c.prepareStatement("UPDATE queue_message SET lock_token = NULL, locked_until = NULL,"
                    + " session_token = NULL, available_at = visible_at WHERE lock_token IS NOT NULL")) {
                n = p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM queue_session")) {
                p.executeUpdate();
            }
            return n;
        });
        queues.values().forEach(q -> q.wakeups().wakeAll());
        return released;
    }

    private static long queueId(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO queue (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            p.setString(1, name);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("SELECT queue_id FROM queue WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.getLong(1);
            }
        }
    }

    // ---- send ----

    @Override
    public void send(String queue, OutgoingMessage message) {
        sendAll(queue, List.of(Objects.requireNonNull(message, "message")));
    }

    /** Validates every message, then enqueues all of them in one transaction: all or nothing. */
    @Override
    public void sendAll(String queue, List<OutgoingMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        QueueRef q = queue(queue);
        List<OutgoingMessage> copies = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            OutgoingMessage m = Objects.requireNonNull(messages.get(i), "messages[" + i + "]");
            validate(q.spec(), m, i);
            // The caller may reuse its array once send returns (or even while it waits).
            copies.add(new OutgoingMessage(m.messageId(), m.sessionId(), m.body().clone(), m.correlationId(),
                    m.scheduledEnqueueTime(), m.timeToLive(), m.properties()));
        }
        requireOpen();
        if (copies.isEmpty()) {
            return;
        }
        sends.commit(new SendRequest(q, copies));
        q.wakeups().wakeAll();
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

    /** One send or sendAll call. */
    private record SendRequest(QueueRef queue, List<OutgoingMessage> messages) {
    }

    /** Writes a group of sends in the group's transaction (see {@link SendGroupCommit}). */
    private void writeGroup(Connection c, List<SendRequest> group) throws SQLException {
        pruneRecentIds(c, group);
        Instant now = clock.instant();
        PreparedStatement forget = db.prepared(c, "DELETE FROM queue_recent_id WHERE queue_id = ? AND message_id = ? AND accepted_at <= ?");
        PreparedStatement remember = db.prepared(c,
                "INSERT INTO queue_recent_id (queue_id, message_id, accepted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        PreparedStatement enqueue = db.prepared(c, INSERT_MESSAGE);
        enqueue.clearBatch(); // a failed earlier group may have left rows in the cached statement's batch
        int queued = 0;
        for (SendRequest request : group) {
            QueueRef q = request.queue();
            long cutoff = EpochNanos.nanos(now.minus(q.spec().duplicateDetectionWindow()));
            for (OutgoingMessage m : request.messages()) {
                forget.setLong(1, q.id());
                forget.setString(2, m.messageId());
                forget.setLong(3, cutoff);
                forget.executeUpdate();
                remember.setLong(1, q.id());
                remember.setString(2, m.messageId());
                remember.setLong(3, EpochNanos.nanos(now));
                if (remember.executeUpdate() == 0) {
                    continue; // a duplicate inside the detection window: dropped, as Service Bus does
                }
                Instant visibleAt = m.scheduledEnqueueTime() != null && m.scheduledEnqueueTime().isAfter(now) ? m.scheduledEnqueueTime() : now;
                Duration ttl = m.timeToLive() == null || m.timeToLive().compareTo(q.spec().defaultTimeToLive()) > 0
                        ? q.spec().defaultTimeToLive() : m.timeToLive();
                bindMessage(enqueue, q, m.messageId(), m.sessionId(), m.body(), m.correlationId(), m.properties(), visibleAt, visibleAt.plus(ttl));
                enqueue.addBatch();
                queued++;
            }
        }
        if (queued > 0) {
            enqueue.executeBatch();
        }
    }

    private static final String INSERT_MESSAGE = "INSERT INTO queue_message (queue_id, message_id, session_id, body, correlation_id,"
            + " properties, visible_at, expires_at, available_at, delivery_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";

    private static void bindMessage(PreparedStatement p, QueueRef q, String messageId, String sessionId, byte[] body, String correlationId,
                                    Map<String, String> properties, Instant visibleAt, Instant expiresAt) throws SQLException {
        p.setLong(1, q.id());
        p.setString(2, messageId);
        p.setString(3, sessionId);
        p.setBytes(4, body);
        p.setString(5, correlationId);
        p.setString(6, properties.isEmpty() ? null : SyncJson.write(properties));
        p.setLong(7, EpochNanos.nanos(visibleAt));
        p.setLong(8, EpochNanos.nanos(expiresAt));
        p.setLong(9, EpochNanos.nanos(visibleAt));
    }

    /**
     * Forgets message ids whose detection window has passed, oldest first, a bounded number per
     * group so pruning keeps pace with sends without ever making one commit slow. The walk stops
     * at the first id still inside its window: ids are appended in acceptance order.
     */
    private void pruneRecentIds(Connection c, List<SendRequest> group) throws SQLException {
        int budget = 16 + 2 * group.stream().mapToInt(r -> r.messages().size()).sum();
        long now = EpochNanos.nanos(clock.instant());
        long lastExpired = -1;
        PreparedStatement oldest = db.prepared(c, "SELECT row_id, queue_id, accepted_at FROM queue_recent_id ORDER BY row_id LIMIT ?");
        oldest.setInt(1, budget);
        try (ResultSet rs = oldest.executeQuery()) {
            while (rs.next()) {
                QueueRef q = queuesById.get(rs.getLong(2));
                // Ids of queues this process does not serve are kept no longer than ours.
                long window = q == null ? maxWindowNanos() : q.spec().duplicateDetectionWindow().toNanos();
                if (rs.getLong(3) > now - window) {
                    break;
                }
                lastExpired = rs.getLong(1);
            }
        }
        if (lastExpired >= 0) {
            update(c, "DELETE FROM queue_recent_id WHERE row_id <= ?", lastExpired);
        }
    }

    private long maxWindowNanos() {
        return queues.values().stream().mapToLong(q -> q.spec().duplicateDetectionWindow().toNanos()).max().orElse(0);
    }

    // ---- receive ----

    @Override
    public Optional<LockedMessage> receive(String queue, Duration maxWait) {
        QueueRef q = queue(queue);
        if (q.spec().requiresSession()) {
            throw new IllegalArgumentException("queue '" + queue + "' requires sessions: use acceptSession");
        }
        return awaitFor(q, maxWait, () -> db.write(Durability.PROCESS_CRASH, c -> {
            Instant now = clock.instant();
            long nowNanos = EpochNanos.nanos(now);
            while (true) {
                List<Row> rows = rows(c, "SELECT " + COLUMNS + " FROM queue_message WHERE queue_id = ? AND available_at <= ?"
                        + " ORDER BY available_at, seq LIMIT " + CANDIDATES, q.id(), nowNanos);
                for (Row row : rows) {
                    if (stillDeliverable(c, q, row, now)) {
                        return Optional.of(deliver(c, q, row, now, null));
                    }
                }
                if (rows.size() < CANDIDATES) {
                    return Optional.<LockedMessage>empty();
                }
            }
        }));
    }

    @Override
    public Optional<SessionReceiver> acceptSession(String queue, Duration maxWait) {
        QueueRef q = queue(queue);
        if (!q.spec().requiresSession()) {
            throw new IllegalArgumentException("queue '" + queue + "' has no sessions: use receive");
        }
        return awaitFor(q, maxWait, () -> db.write(Durability.PROCESS_CRASH, c -> {
            Instant now = clock.instant();
            long nowNanos = EpochNanos.nanos(now);
            while (true) {
                List<Row> rows = rows(c, "SELECT " + COLUMNS + " FROM queue_message WHERE queue_id = ? AND available_at <= ?"
                        + " AND session_id NOT IN (SELECT session_id FROM queue_session WHERE queue_id = ? AND locked_until > ?)"
                        + " ORDER BY available_at, seq LIMIT " + CANDIDATES, q.id(), nowNanos, q.id(), nowNanos);
                for (Row row : rows) {
                    if (stillDeliverable(c, q, row, now)) {
                        String token = UUID.randomUUID().toString();
                        update(c, """
                                INSERT INTO queue_session (queue_id, session_id, token, locked_until) VALUES (?, ?, ?, ?)
                                ON CONFLICT (queue_id, session_id) DO UPDATE SET token = excluded.token, locked_until = excluded.locked_until""",
                                q.id(), row.sessionId(), token, EpochNanos.nanos(now.plus(q.spec().lockDuration())));
                        return Optional.<SessionReceiver>of(new SqliteSessionReceiver(q, row.sessionId(), token));
                    }
                }
                if (rows.size() < CANDIDATES) {
                    return Optional.<SessionReceiver>empty();
                }
            }
        }));
    }

    /**
     * Repeats {@code attempt} until it finds something or {@code maxWait} (real time) passes,
     * sleeping between attempts until the queue changes, the next scheduled message or lock is
     * due by the clock, or {@link #RECHECK_NANOS} pass.
     */
    private <T> Optional<T> awaitFor(QueueRef q, Duration maxWait, java.util.function.Supplier<Optional<T>> attempt) {
        Objects.requireNonNull(maxWait, "maxWait");
        long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
        while (true) {
            requireOpen();
            long generation = q.wakeups().generation();
            Optional<T> got = attempt.get();
            if (got.isPresent()) {
                return got;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Optional.empty();
            }
            long wait = Math.min(remaining, RECHECK_NANOS);
            long untilDue = nanosUntilNextAvailable(q);
            if (untilDue > 0) {
                wait = Math.min(wait, untilDue);
            }
            if (!q.wakeups().await(generation, wait)) {
                return Optional.empty();
            }
        }
    }

    /** By the clock, how long until the queue's next locked or scheduled message is due; 0 when unknown. */
    private long nanosUntilNextAvailable(QueueRef q) {
        long now = EpochNanos.nanos(clock.instant());
        Long next = db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT min(available_at) FROM queue_message WHERE queue_id = ? AND available_at > ?")) {
                p.setLong(1, q.id());
                p.setLong(2, now);
                try (ResultSet rs = p.executeQuery()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
        return next == null ? 0 : Math.max(1, next - now);
    }

    /**
     * Applies what time decided for a message that is not (validly) locked: a lost lock at the
     * maximum delivery count dead-letters it, an expired TTL dead-letters or drops it.
     *
     * @return whether the message is still in the queue and may be delivered
     */
    private boolean stillDeliverable(Connection c, QueueRef q, Row row, Instant now) throws SQLException {
        if (row.lockToken() != null && row.deliveryCount() >= q.spec().maxDeliveryCount()) {
            moveToDeadLetters(c, row.seq(), MAX_DELIVERY_COUNT_EXCEEDED,
                    "Message could not be consumed after " + row.deliveryCount() + " delivery attempts.", now);
            return false;
        }
        if (row.expiresAt() <= EpochNanos.nanos(now)) {
            if (q.spec().deadLetteringOnMessageExpiration()) {
                moveToDeadLetters(c, row.seq(), TTL_EXPIRED,
                        "The message expired at " + EpochNanos.toInstant(row.expiresAt()) + " and was dead-lettered.", now);
            } else {
                update(c, "DELETE FROM queue_message WHERE seq = ?", row.seq());
            }
            return false;
        }
        return true;
    }

    private LockedMessage deliver(Connection c, QueueRef q, Row row, Instant now, String sessionToken) throws SQLException {
        int count = row.deliveryCount() + 1;
        String token = UUID.randomUUID().toString();
        Instant lockedUntil = now.plus(q.spec().lockDuration());
        long until = EpochNanos.nanos(lockedUntil);
        update(c, "UPDATE queue_message SET delivery_count = ?, lock_token = ?, locked_until = ?, available_at = ?, session_token = ?"
                + " WHERE seq = ?", count, token, until, until, sessionToken, row.seq());
        byte[] body;
        String properties;
        PreparedStatement content = db.prepared(c, "SELECT body, properties FROM queue_message WHERE seq = ?");
        content.setLong(1, row.seq());
        try (ResultSet rs = content.executeQuery()) {
            body = rs.getBytes(1);
            properties = rs.getString(2);
        }
        return new LockedMessage(q.spec().name(), row.messageId(), row.seq(), row.sessionId(), body, row.correlationId(), count,
                EpochNanos.toInstant(row.visibleAt()), EpochNanos.toInstant(row.expiresAt()), token, lockedUntil, properties(properties));
    }

    private void moveToDeadLetters(Connection c, long seq, String reason, String description, Instant now) throws SQLException {
        update(c, """
                INSERT INTO queue_dead_letter (queue_id, message_id, session_id, body, correlation_id, properties, reason, description,
                  delivery_count, dead_lettered_at)
                SELECT queue_id, message_id, session_id, body, correlation_id, properties, ?, ?, delivery_count, ?
                FROM queue_message WHERE seq = ?""", reason, description, EpochNanos.nanos(now), seq);
        update(c, "DELETE FROM queue_message WHERE seq = ?", seq);
    }

    // ---- settlement ----

    @Override
    public void complete(LockedMessage message) {
        settle(message, Durability.PROCESS_CRASH, (c, q, row, now) -> {
            update(c, "DELETE FROM queue_message WHERE seq = ?", row.seq());
            return null;
        });
    }

    /** Completes the messages in one transaction; stops at the first lost lock (see {@link JobQueue#completeAll}). */
    @Override
    public void completeAll(List<LockedMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<QueueRef> queues = new ArrayList<>(messages.size());
        for (LockedMessage m : messages) {
            queues.add(queue(Objects.requireNonNull(m, "message").queue()));
        }
        requireOpen();
        MessageLockLostException lost = db.write(Durability.PROCESS_CRASH, c -> {
            long nowNanos = EpochNanos.nanos(clock.instant());
            for (int i = 0; i < messages.size(); i++) {
                Row row = liveRow(c, queues.get(i), messages.get(i), nowNanos);
                if (row == null) {
                    // the ones before it stay completed: the transaction commits them
                    return lockLost(messages.get(i));
                }
                update(c, "DELETE FROM queue_message WHERE seq = ?", row.seq());
            }
            return null;
        });
        if (lost != null) {
            throw lost;
        }
    }

    @Override
    public void abandon(LockedMessage message) {
        QueueRef q = settle(message, Durability.PROCESS_CRASH, (c, queue, row, now) -> {
            if (row.deliveryCount() >= queue.spec().maxDeliveryCount()) {
                moveToDeadLetters(c, row.seq(), MAX_DELIVERY_COUNT_EXCEEDED,
                        "Message could not be consumed after " + row.deliveryCount() + " delivery attempts.", now);
            } else {
                // Back to its place: receivable again at once, before messages enqueued after it.
                update(c, "UPDATE queue_message SET lock_token = NULL, locked_until = NULL, session_token = NULL, available_at = visible_at"
                        + " WHERE seq = ?", row.seq());
            }
            return queue;
        });
        q.wakeups().wakeAll();
    }

    @Override
    public void deadLetter(LockedMessage message, String reason, String description) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        settle(message, Durability.PROCESS_CRASH, (c, q, row, now) -> {
            moveToDeadLetters(c, row.seq(), reason, description, now);
            return null;
        });
    }

    @Override
    public LockedMessage renewLock(LockedMessage message) {
        return settle(message, Durability.PROCESS_CRASH, (c, q, row, now) -> {
            Instant lockedUntil = now.plus(q.spec().lockDuration());
            long until = EpochNanos.nanos(lockedUntil);
            update(c, "UPDATE queue_message SET locked_until = ?, available_at = ? WHERE seq = ?", until, until, row.seq());
            if (row.sessionId() != null) {
                extendSession(c, q, row.sessionId(), row.sessionToken(), until);
            }
            return new LockedMessage(message.queue(), message.messageId(), message.sequenceNumber(), message.sessionId(), message.body(),
                    message.correlationId(), message.deliveryCount(), message.enqueuedAt(), message.expiresAt(), message.lockToken(),
                    lockedUntil, message.properties());
        });
    }

    private interface Settlement<T> {
        T apply(Connection c, QueueRef q, Row row, Instant now) throws SQLException;
    }

    /** Runs {@code settlement} if {@code message}'s lock is still the message's live lock. */
    private <T> T settle(LockedMessage message, Durability durability, Settlement<T> settlement) {
        Objects.requireNonNull(message, "message");
        QueueRef q = queue(message.queue());
        requireOpen();
        return db.write(durability, c -> {
            Instant now = clock.instant();
            Row row = liveRow(c, q, message, EpochNanos.nanos(now));
            if (row == null) {
                throw lockLost(message);
            }
            return settlement.apply(c, q, row, now);
        });
    }

    /** The message's row while {@code message}'s lock is its live lock; {@code null} otherwise. */
    private Row liveRow(Connection c, QueueRef q, LockedMessage message, long nowNanos) throws SQLException {
        List<Row> found = rows(c, "SELECT " + COLUMNS + " FROM queue_message WHERE seq = ? AND queue_id = ?", message.sequenceNumber(), q.id());
        Row row = found.isEmpty() ? null : found.get(0);
        boolean live = row != null && Objects.equals(row.lockToken(), message.lockToken()) && row.lockedUntil() != null
                && row.lockedUntil() > nowNanos
                && (row.sessionId() == null || sessionHeld(c, q, row.sessionId(), row.sessionToken(), nowNanos));
        return live ? row : null;
    }

    private static MessageLockLostException lockLost(LockedMessage message) {
        return new MessageLockLostException("the lock on message " + message.messageId() + " (sequence " + message.sequenceNumber()
                + ") of queue '" + message.queue() + "' has expired, was already settled, or belongs to a released session;"
                + " it may have been redelivered");
    }

    private boolean sessionHeld(Connection c, QueueRef q, String sessionId, String token, long nowNanos) throws SQLException {
        try (ResultSet rs = bind(c, "SELECT 1 FROM queue_session WHERE queue_id = ? AND session_id = ? AND token = ? AND locked_until > ?",
                q.id(), sessionId, token, nowNanos).executeQuery()) {
            return rs.next();
        }
    }

    private void extendSession(Connection c, QueueRef q, String sessionId, String token, long until) throws SQLException {
        update(c, "UPDATE queue_session SET locked_until = max(locked_until, ?) WHERE queue_id = ? AND session_id = ? AND token = ?",
                until, q.id(), sessionId, token);
    }

    // ---- stats and dead letters ----

    @Override
    public QueueStats stats(String queue) {
        QueueRef q = queue(queue);
        requireOpen();
        return db.write(Durability.PROCESS_CRASH, c -> {
            Instant now = clock.instant();
            expire(c, q, now);
            long nowNanos = EpochNanos.nanos(now);
            long total;
            long scheduled;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT count(*), coalesce(sum(visible_at > ?), 0) FROM queue_message WHERE queue_id = ?")) {
                p.setLong(1, nowNanos);
                p.setLong(2, q.id());
                try (ResultSet rs = p.executeQuery()) {
                    total = rs.getLong(1);
                    scheduled = rs.getLong(2);
                }
            }
            long dead;
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM queue_dead_letter WHERE queue_id = ?")) {
                p.setLong(1, q.id());
                try (ResultSet rs = p.executeQuery()) {
                    dead = rs.getLong(1);
                }
            }
            return new QueueStats(total - scheduled, scheduled, dead);
        });
    }

    /** Applies lock loss at the delivery limit and TTL expiry to every receivable message of the queue. */
    private void expire(Connection c, QueueRef q, Instant now) throws SQLException {
        long nowNanos = EpochNanos.nanos(now);
        List<Row> due = rows(c, "SELECT " + COLUMNS + " FROM queue_message WHERE queue_id = ? AND available_at <= ?"
                + " AND (expires_at <= ? OR (lock_token IS NOT NULL AND delivery_count >= ?))",
                q.id(), nowNanos, nowNanos, q.spec().maxDeliveryCount());
        for (Row row : due) {
            stillDeliverable(c, q, row, now);
        }
        update(c, "DELETE FROM queue_session WHERE queue_id = ? AND locked_until <= ?", q.id(), nowNanos);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        QueueRef q = queue(queue);
        requireOpen();
        db.write(Durability.PROCESS_CRASH, c -> {
            expire(c, q, clock.instant());
            return null;
        });
        return db.read(c -> deadLetterRows(c, q, "SELECT seq, message_id, session_id, body, correlation_id, properties, reason, description,"
                + " delivery_count, dead_lettered_at FROM queue_dead_letter WHERE queue_id = ? ORDER BY seq LIMIT ?", q.id(), limit));
    }

    /**
     * Moves a dead letter back as a new message: new sequence number, delivery count 0, visible
     * now, the queue's full TTL; id, session, correlation id and properties are kept, and
     * duplicate detection does not apply. {@code transform} runs before anything changes and
     * outside every lock, so a transform that throws loses nothing. Durable like a send.
     *
     * @throws IllegalArgumentException when {@code transform} returns {@code null}
     */
    @Override
    public boolean replayDeadLetter(String queue, long sequenceNumber, UnaryOperator<byte[]> transform) {
        Objects.requireNonNull(transform, "transform");
        QueueRef q = queue(queue);
        requireOpen();
        List<DeadLetter> found = db.read(c -> deadLetterRows(c, q, "SELECT seq, message_id, session_id, body, correlation_id, properties,"
                + " reason, description, delivery_count, dead_lettered_at FROM queue_dead_letter WHERE queue_id = ? AND seq = ?", q.id(), sequenceNumber));
        if (found.isEmpty()) {
            return false;
        }
        DeadLetter dl = found.get(0);
        byte[] body = transform.apply(dl.body().clone());
        if (body == null) {
            throw new IllegalArgumentException("replay transform returned no body for dead letter " + sequenceNumber + " of queue '" + queue + "'");
        }
        byte[] copy = body.clone();
        boolean replayed = db.write(Durability.POWER_LOSS, c -> {
            if (update(c, "DELETE FROM queue_dead_letter WHERE seq = ? AND queue_id = ?", sequenceNumber, q.id()) == 0) {
                return false; // replayed or purged meanwhile
            }
            Instant now = clock.instant();
            try (PreparedStatement p = c.prepareStatement(INSERT_MESSAGE)) {
                bindMessage(p, q, dl.messageId(), dl.sessionId(), copy, dl.correlationId(), dl.properties(), now,
                        now.plus(q.spec().defaultTimeToLive()));
                p.executeUpdate();
            }
            return true;
        });
        if (replayed) {
            q.wakeups().wakeAll();
        }
        return replayed;
    }

    @Override
    public int purgeDeadLetters(String queue, Long sequenceNumber) {
        QueueRef q = queue(queue);
        requireOpen();
        return db.write(Durability.PROCESS_CRASH, c -> sequenceNumber == null
                ? update(c, "DELETE FROM queue_dead_letter WHERE queue_id = ?", q.id())
                : update(c, "DELETE FROM queue_dead_letter WHERE queue_id = ? AND seq = ?", q.id(), sequenceNumber));
    }

    private List<DeadLetter> deadLetterRows(Connection c, QueueRef q, String sql, Object... params) throws SQLException {
        try (ResultSet rs = bind(c, sql, params).executeQuery()) {
            List<DeadLetter> result = new ArrayList<>();
            while (rs.next()) {
                result.add(new DeadLetter(q.spec().name(), rs.getString(2), rs.getLong(1), rs.getString(3), rs.getBytes(4), rs.getString(5),
                        rs.getString(7), rs.getString(8), rs.getInt(9), EpochNanos.toInstant(rs.getLong(10)), properties(rs.getString(6))));
            }
            return List.copyOf(result);
        }
    }

    // ---- lifecycle and plumbing ----

    /** Wakes blocked receivers; later operations throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        queues.values().forEach(q -> q.wakeups().wakeAll());
    }

    private QueueRef queue(String name) {
        Objects.requireNonNull(name, "queue");
        QueueRef q = queues.get(name);
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

    private List<Row> rows(Connection c, String sql, Object... params) throws SQLException {
        try (ResultSet rs = bind(c, sql, params).executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                long lockedUntil = rs.getLong(9);
                Long locked = rs.wasNull() ? null : lockedUntil;
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                        rs.getInt(7), rs.getString(8), locked, rs.getString(10)));
            }
            return rows;
        }
    }

    private int update(Connection c, String sql, Object... params) throws SQLException {
        return bind(c, sql, params).executeUpdate();
    }

    /** The cached statement for {@code sql} with {@code params} bound; every SQL string passed here is a constant. */
    private PreparedStatement bind(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement p = db.prepared(c, sql);
        for (int i = 0; i < params.length; i++) {
            p.setObject(i + 1, params[i]);
        }
        return p;
    }

    private static Map<String, String> properties(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return SyncJson.mapper().readValue(json, PROPERTIES);
        } catch (JsonProcessingException e) {
            throw new StorageException("stored message properties cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SqliteJobQueue" + queues.keySet();
    }

    /** A configured queue: its settings, its id in the database and its receivers' wake-ups. */
    private record QueueRef(QueueSpec spec, long id, QueueWakeups wakeups) {
    }

    /** What receives and settlements decide on from a row of {@code queue_message} (see {@link #COLUMNS}). */
    private record Row(long seq, String messageId, String sessionId, String correlationId, long visibleAt, long expiresAt,
                       int deliveryCount, String lockToken, Long lockedUntil, String sessionToken) {
    }

    /** One accepted session. */
    private final class SqliteSessionReceiver implements SessionReceiver {
        private final QueueRef q;
        private final String sessionId;
        private final String token;
        private volatile boolean released;

        SqliteSessionReceiver(QueueRef q, String sessionId, String token) {
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
            return awaitFor(q, maxWait, () -> db.write(Durability.PROCESS_CRASH, c -> take(c, 1))).map(taken -> taken.get(0));
        }

        @Override
        public List<LockedMessage> receiveBatch(int maxMessages, Duration maxWait) {
            if (maxMessages < 1) {
                throw new IllegalArgumentException("maxMessages must be at least 1, was " + maxMessages);
            }
            return awaitFor(q, maxWait, () -> db.write(Durability.PROCESS_CRASH, c -> take(c, maxMessages))).orElse(List.of());
        }

        /**
         * Locks up to {@code max} of the session's next deliverable messages in one transaction,
         * in sequence order; empty when there is none. Messages this receiver already holds are
         * passed over inside SQLite (a batch receive holds many, and reading each of them back
         * for every receive made a batch cost the square of its size); a message locked under
         * another token ends the scan, so nothing is taken out of order.
         */
        private Optional<List<LockedMessage>> take(Connection c, int max) throws SQLException {
            if (released) {
                throw new IllegalStateException("session '" + sessionId + "' of queue '" + q.spec().name() + "' was released");
            }
            Instant now = clock.instant();
            long nowNanos = EpochNanos.nanos(now);
            if (!sessionHeld(c, q, sessionId, token, nowNanos)) {
                throw new MessageLockLostException("the lock on session '" + sessionId + "' of queue '" + q.spec().name()
                        + "' has expired; accept the session again");
            }
            List<LockedMessage> taken = new ArrayList<>(Math.min(max, 256));
            int candidates = Math.max(CANDIDATES, Math.min(max, 256));
            long afterSeq = -1;
            scan:
            while (true) {
                List<Row> rows = rows(c, "SELECT " + COLUMNS + " FROM queue_message WHERE queue_id = ? AND session_id = ?"
                        + " AND visible_at <= ? AND seq > ?"
                        + " AND NOT (lock_token IS NOT NULL AND locked_until IS NOT NULL AND locked_until > ?"
                        + " AND session_token IS NOT NULL AND session_token = ?)"
                        + " ORDER BY seq LIMIT " + candidates, q.id(), sessionId, nowNanos, afterSeq, nowNanos, token);
                for (Row row : rows) {
                    afterSeq = row.seq();
                    boolean locked = row.lockToken() != null && row.lockedUntil() != null && row.lockedUntil() > nowNanos;
                    if (locked) {
                        // held under another lock: keep the order
                        break scan;
                    }
                    if (stillDeliverable(c, q, row, now)) {
                        taken.add(deliver(c, q, row, now, token));
                        if (taken.size() == max) {
                            break scan;
                        }
                    }
                }
                if (rows.size() < candidates) {
                    break;
                }
            }
            if (taken.isEmpty()) {
                return Optional.empty();
            }
            extendSession(c, q, sessionId, token, EpochNanos.nanos(taken.get(taken.size() - 1).lockedUntil()));
            return Optional.of(taken);
        }

        /**
         * Releases the session and its unsettled messages. Works after the queue was closed too
         * (shutdown order does not matter) as long as the storage is open; once the storage is
         * closed, the session stays locked until its lock expires.
         */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                db.write(Durability.PROCESS_CRASH, c -> {
                    long now = EpochNanos.nanos(clock.instant());
                    update(c, "DELETE FROM queue_session WHERE queue_id = ? AND session_id = ? AND token = ?", q.id(), sessionId, token);
                    // Unsettled messages lose their lock (settling them now fails) and keep their
                    // delivery count; the next receive treats them like an expired lock.
                    update(c, "UPDATE queue_message SET locked_until = ?, available_at = visible_at"
                            + " WHERE queue_id = ? AND session_id = ? AND session_token = ? AND lock_token IS NOT NULL AND locked_until > ?",
                            now, q.id(), sessionId, token, now);
                    return null;
                });
            } catch (IllegalStateException storageClosed) {
                LOG.debug("session '{}' of queue '{}' not released: the storage is closed", sessionId, q.spec().name());
                return;
            }
            q.wakeups().wakeAll();
        }

        @Override
        public String toString() {
            return "SessionReceiver[" + q.spec().name() + "/" + sessionId + "]";
        }
    }
}
