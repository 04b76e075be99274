package com.castiel.sync.standalone.store;

import com.castiel.sync.standalone.store.sqlite.Durability;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for queue sends: concurrent sends are written by one transaction and one log
 * flush ({@link Durability#POWER_LOSS}), so durable enqueue throughput grows with the number of
 * concurrent senders instead of being capped at one disk flush per message.
 *
 * <p>A sender adds its request to a pending list and takes the commit lock. Whoever holds it
 * drains every pending request, writes them in one transaction (each in its own savepoint, so a
 * request that fails is rolled back alone and the others still commit), commits, and marks them
 * done before releasing the lock. Senders that queued up meanwhile find their request done when
 * they get the lock, or drain the next group. No background thread is involved; a sender returns
 * only once its own request is committed, or throws its own failure.
 *
 * <p>Thread-safe.
 *
 * @param <R> a send request
 */
final class SendGroupCommit<R> {

    /** Writes one request inside the group's transaction. */
    @FunctionalInterface
    interface Writer<R> {
        void write(Connection c, R request) throws SQLException;
    }

    /** Runs once per group inside its transaction, before the requests (housekeeping). */
    @FunctionalInterface
    interface GroupStart<R> {
        void start(Connection c, List<R> group) throws SQLException;
    }

    private final SqliteDatabase db;
    private final GroupStart<R> groupStart;
    private final Writer<R> writer;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<R>> pending = new ConcurrentLinkedQueue<>();

    SendGroupCommit(SqliteDatabase db, GroupStart<R> groupStart, Writer<R> writer) {
        this.db = Objects.requireNonNull(db, "db");
        this.groupStart = Objects.requireNonNull(groupStart, "groupStart");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * Writes {@code request} durably, together with whatever other requests are waiting.
     *
     * @throws RuntimeException this request's own failure (a {@link SQLException} wrapped in a
     *     {@link com.castiel.sync.standalone.store.sqlite.StorageException})
     */
    void commit(R request) {
        Pending<R> mine = new Pending<>(request);
        pending.add(mine);
        commitLock.lock();
        try {
            if (!mine.done) {
                commitGroup();
            }
        } finally {
            commitLock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    private void commitGroup() {
        List<Pending<R>> group = new ArrayList<>();
        for (Pending<R> p; (p = pending.poll()) != null; ) {
            group.add(p);
        }
        try {
            db.write(Durability.POWER_LOSS, c -> {
                groupStart.start(c, group.stream().map(p -> p.request).toList());
                try (Statement s = c.createStatement()) {
                    for (Pending<R> p : group) {
                        s.execute("SAVEPOINT send");
                        try {
                            writer.write(c, p.request);
                            s.execute("RELEASE send");
                        } catch (SQLException | RuntimeException e) {
                            s.execute("ROLLBACK TO send");
                            s.execute("RELEASE send");
                            p.failure = e instanceof RuntimeException re ? re
                                    : new com.castiel.sync.standalone.store.sqlite.StorageException("send failed: " + e.getMessage(), e);
                        }
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            for (Pending<R> p : group) {
                if (p.failure == null) {
                    p.failure = e;
                }
            }
        }
        for (Pending<R> p : group) {
            p.done = true;
        }
    }

    /** A request and its outcome; fields are written and read under the commit lock. */
    private static final class Pending<R> {
        final R request;
        boolean done;
        RuntimeException failure;

        Pending(R request) {
            this.request = request;
        }
    }
}
