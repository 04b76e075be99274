package com.castiel.sync.standalone.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's timers (scheduler tick, token refresh, queue sampling, dead-letter announcements,
 * alert evaluation), each run at a fixed delay after the previous run finished, so a slow run
 * never piles up. A failing run is logged and the timer carries on.
 *
 * <p>Thread-safe.
 */
public final class PeriodicTasks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTasks.class);

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("periodic-tasks").factory());

    /** Runs {@code task} after {@code initialDelay}, then {@code every} after each run ends. */
    public void every(String name, Duration initialDelay, Duration every, Runnable task) {
        Objects.requireNonNull(task, "task");
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.atError().setMessage("periodic task failed").addKeyValue("task", name).addKeyValue("error", e.toString()).log();
            }
        }, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the timers and waits up to {@code grace} for a run in progress to finish. */
    public void stop(Duration grace) {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
