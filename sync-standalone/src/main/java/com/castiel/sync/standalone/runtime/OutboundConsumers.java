package com.castiel.sync.standalone.runtime;

import com.castiel.sync.outbound.WriteBackProcessor;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.QueueSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code sync-outbound}: one consumer (a virtual thread) per accepted session, so the
 * write-backs of one integration are processed in order by one consumer while integrations
 * proceed in parallel, at most {@code maxSessions} at once. Each consumer runs the
 * {@link WriteBackProcessor} over its session, which releases the session when it has no more
 * work.
 *
 * <p>{@link #stop(Duration)} stops accepting sessions, waits for running ones until the deadline,
 * then closes the receivers still open: their unsettled messages become available again with
 * their delivery counts kept, for the next start.
 *
 * <p>Thread-safe; start once, stop once.
 */
public final class OutboundConsumers {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundConsumers.class);

    private final JobQueue queue;
    private final WriteBackProcessor processor;
    private final Semaphore permits;
    private final Duration pollWait;
    private final Map<Thread, JobQueue.SessionReceiver> running = new ConcurrentHashMap<>();
    private volatile boolean accepting;
    private Thread acceptor;

    public OutboundConsumers(JobQueue queue, WriteBackProcessor processor, int maxSessions, Duration pollWait) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.processor = Objects.requireNonNull(processor, "processor");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1");
        }
        this.permits = new Semaphore(maxSessions);
        this.pollWait = Objects.requireNonNull(pollWait, "pollWait");
    }

    public synchronized void start() {
        if (acceptor != null) {
            throw new IllegalStateException("already started");
        }
        accepting = true;
        acceptor = Thread.ofVirtual().name("outbound-accept").start(this::accept);
    }

    /** Sessions being processed now. */
    public int running() {
        return running.size();
    }

    private void accept() {
        String name = QueueSpec.OUTBOUND.name();
        while (accepting) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            boolean handedOff = false;
            try {
                if (!accepting) {
                    return;
                }
                Optional<JobQueue.SessionReceiver> session = queue.acceptSession(name, pollWait);
                if (session.isPresent()) {
                    JobQueue.SessionReceiver receiver = session.get();
                    Thread.ofVirtual().name("outbound-session-" + receiver.sessionId()).start(() -> consume(receiver));
                    handedOff = true;
                }
            } catch (RuntimeException e) {
                if (accepting) {
                    LOG.atWarn().setMessage("accepting an outbound session failed").addKeyValue("error", e.toString()).log();
                    sleepQuietly(pollWait);
                }
            } finally {
                if (!handedOff) {
                    permits.release();
                }
            }
        }
    }

    private void consume(JobQueue.SessionReceiver receiver) {
        running.put(Thread.currentThread(), receiver);
        try {
            processor.processSession(receiver);
        } catch (RuntimeException e) {
            if (accepting) {
                LOG.atError().setMessage("write-back session failed outside the processor's settlement")
                        .addKeyValue("sessionId", receiver.sessionId()).addKeyValue("error", e.toString()).log();
            }
            closeQuietly(receiver);
        } finally {
            running.remove(Thread.currentThread());
            permits.release();
        }
    }

    /**
     * Stops accepting and waits for running sessions until {@code grace} has passed; then
     * releases the sessions still open.
     *
     * @return sessions released unfinished
     */
    public int stop(Duration grace) {
        accepting = false;
        long deadline = System.nanoTime() + grace.toNanos();
        Thread a;
        synchronized (this) {
            a = acceptor;
        }
        if (a != null) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!a.join(Duration.ofNanos(left))) {
                    a.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(Duration.ofMillis(20));
        }
        int released = 0;
        for (Map.Entry<Thread, JobQueue.SessionReceiver> e : Map.copyOf(running).entrySet()) {
            closeQuietly(e.getValue());
            e.getKey().interrupt();
            released++;
            LOG.atWarn().setMessage("write-back session still running at the shutdown deadline; released for the next start")
                    .addKeyValue("sessionId", e.getValue().sessionId()).log();
        }
        return released;
    }

    private static void closeQuietly(JobQueue.SessionReceiver receiver) {
        try {
            receiver.close();
        } catch (RuntimeException e) {
            LOG.atDebug().setMessage("closing a session receiver failed").addKeyValue("error", e.toString()).log();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
