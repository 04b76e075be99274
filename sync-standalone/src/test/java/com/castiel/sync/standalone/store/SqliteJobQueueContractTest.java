package com.castiel.sync.standalone.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.JobQueue.SessionReceiver;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.contract.JobQueueContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobQueueContractTest extends JobQueueContract {

    @TempDir
    Path dir;

    private final OpenStorages storages = new OpenStorages();
    private int customQueues;

    @Override
    protected JobQueue createQueue(MutableClock clock) {
        return storages.open(dir, clock).queue();
    }

    @Override
    protected JobQueue createQueue(MutableClock clock, List<QueueSpec> queues) {
        // One storage per data directory: a second storage gets its own.
        return storages.open(dir.resolve("custom-" + ++customQueues), clock, queues).queue();
    }

    @Override
    protected void cleanUp() {
        storages.close();
    }

    @Test
    public void sessionReceiverGetsTheNextMessageWhileHoldingTheLockOfAnEarlierOne() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        sendToSession("s-1", "m-3", "third");

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            LockedMessage first = session.receive(Duration.ZERO).orElseThrow();
            LockedMessage second = session.receive(Duration.ZERO).orElseThrow();
            LockedMessage third = session.receive(Duration.ZERO).orElseThrow();

            assertThat(List.of(text(first), text(second), text(third))).containsExactly("first", "second", "third");
            assertThat(session.receive(Duration.ZERO)).isEmpty();
            queue.complete(first);
            queue.complete(second);
            queue.complete(third);
        }
        assertThat(queue.stats(OUTBOUND).active()).isZero();
    }

    @Test
    public void abandonedSessionMessageIsRedeliveredBeforeLaterOnesWhileTheReceiverHoldsOtherLocks() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        sendToSession("s-1", "m-3", "third");

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            LockedMessage first = session.receive(Duration.ZERO).orElseThrow();
            LockedMessage second = session.receive(Duration.ZERO).orElseThrow();

            queue.abandon(first);

            LockedMessage again = session.receive(Duration.ZERO).orElseThrow();
            assertThat(text(again)).isEqualTo("first");
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(text(session.receive(Duration.ZERO).orElseThrow())).isEqualTo("third");
            queue.complete(second);
        }
    }
}
