package com.castiel.sync.standalone.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes receivers blocked on one queue when something there may have become receivable (a send,
 * an abandon, a released session, a replay). A generation counter prevents lost wake-ups: a
 * receiver reads the generation before it looks at the queue and waits only while it is
 * unchanged. Thread-safe; uses a {@link ReentrantLock} so waiting virtual threads do not pin
 * their carrier.
 */
final class QueueWakeups {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    void wakeAll() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the generation moves past {@code seen} or {@code nanos} pass.
     *
     * @return false when interrupted (the interrupt flag is set again)
     */
    boolean await(long seen, long nanos) {
        lock.lock();
        try {
            long remaining = nanos;
            while (generation == seen && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
