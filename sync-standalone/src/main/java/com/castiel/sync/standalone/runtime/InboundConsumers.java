package com.castiel.sync.standalone.runtime;

import com.castiel.sync.engine.InboundWorker;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the two inbound queues ({@code sync-inbound-webhook}, {@code sync-inbound-scheduled})
 * on virtual threads, at most {@code maxConcurrentSyncs} jobs at once over both. One dispatcher
 * per queue takes a permit, receives (waiting up to the poll interval), and hands the message to
 * a virtual thread that runs it through the engine's {@link InboundWorker} (which renews the lock,
 * settles the message and defers a second run of a busy integration).
 *
 * <p>{@link #stop(Duration)} stops receiving, waits for running jobs until the deadline, then
 * abandons the messages of the jobs still running (they are redelivered at the next start and
 * resume from their checkpoints) and interrupts them.
 *
 * <p>Thread-safe; start once, stop once.
 */
public final class InboundConsumers {

    private static final Logger LOG = LoggerFactory.getLogger(InboundConsumers.class);
    static final List<String> QUEUES = List.of(QueueSpec.INBOUND_WEBHOOK.name(), QueueSpec.INBOUND_SCHEDULED.name());

    private final JobQueue queue;
    private final InboundWorker worker;
    private final Semaphore permits;
    private final Duration pollWait;
    private final Map<Thread, LockedMessage> running = new ConcurrentHashMap<>();
    private final List<Thread> dispatchers = new ArrayList<>();
    private volatile boolean receiving;

    public InboundConsumers(JobQueue queue, InboundWorker worker, int maxConcurrentSyncs, Duration pollWait) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.worker = Objects.requireNonNull(worker, "worker");
        if (maxConcurrentSyncs < 1) {
            throw new IllegalArgumentException("maxConcurrentSyncs must be at least 1");
        }
        this.permits = new Semaphore(maxConcurrentSyncs, true);
        this.pollWait = Objects.requireNonNull(pollWait, "pollWait");
    }

    public synchronized void start() {
        if (receiving || !dispatchers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        receiving = true;
        for (String q : QUEUES) {
            dispatchers.add(Thread.ofVirtual().name("inbound-dispatch-" + q).start(() -> dispatch(q)));
        }
    }

    /** Jobs running now. */
    public int running() {
        return running.size();
    }

    private void dispatch(String queueName) {
        while (receiving) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            boolean handedOff = false;
            try {
                if (!receiving) {
                    return;
                }
                Optional<LockedMessage> received = queue.receive(queueName, pollWait);
                if (received.isPresent()) {
                    LockedMessage message = received.get();
                    Thread.ofVirtual().name("inbound-" + queueName + "-" + message.sequenceNumber()).start(() -> run(message));
                    handedOff = true;
                }
            } catch (RuntimeException e) {
                if (receiving) {
                    LOG.atWarn().setMessage("receiving from an inbound queue failed").addKeyValue("queue", queueName)
                            .addKeyValue("error", e.toString()).log();
                    pause();
                }
            } finally {
                if (!handedOff) {
                    permits.release();
                }
            }
        }
    }

    private void run(LockedMessage message) {
        running.put(Thread.currentThread(), message);
        try {
            worker.process(message);
        } catch (RuntimeException e) {
            if (receiving) {
                LOG.atError().setMessage("inbound job crashed outside the engine's settlement").addKeyValue("queue", message.queue())
                        .addKeyValue("messageId", message.messageId()).addKeyValue("error", e.toString()).log();
            }
        } finally {
            running.remove(Thread.currentThread());
            permits.release();
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops receiving and waits for running jobs until {@code grace} has passed; then releases
     * (abandons) the messages of the jobs still running and interrupts them.
     *
     * @return the number of jobs released unfinished
     */
    public int stop(Duration grace) {
        receiving = false;
        long deadline = System.nanoTime() + grace.toNanos();
        List<Thread> toJoin;
        synchronized (this) {
            toJoin = List.copyOf(dispatchers);
        }
        for (Thread d : toJoin) {
            join(d, deadline);
        }
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int released = 0;
        for (Map.Entry<Thread, LockedMessage> e : Map.copyOf(running).entrySet()) {
            try {
                queue.abandon(e.getValue());
                released++;
                LOG.atWarn().setMessage("job still running at the shutdown deadline; released for the next start")
                        .addKeyValue("queue", e.getValue().queue()).addKeyValue("messageId", e.getValue().messageId()).log();
            } catch (RuntimeException ex) {
                LOG.atDebug().setMessage("could not release a message at shutdown (already settled?)")
                        .addKeyValue("messageId", e.getValue().messageId()).addKeyValue("error", ex.toString()).log();
            }
            e.getKey().interrupt();
        }
        return released;
    }

    private static void join(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            t.interrupt();
            return;
        }
        try {
            if (!t.join(Duration.ofNanos(left))) {
                t.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
