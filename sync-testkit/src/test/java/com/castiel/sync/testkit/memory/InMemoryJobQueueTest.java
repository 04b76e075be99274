package com.castiel.sync.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour of the in-memory queue beyond the port contract (configuration and shutdown). */
class InMemoryJobQueueTest {

    private final MutableClock clock = MutableClock.at("2025-01-15T10:00:00Z");

    @Test
    void twoSpecsWithTheSameNameAreRejected() {
        assertThatThrownBy(() -> new InMemoryJobQueue(clock, List.of(QueueSpec.OUTBOUND, QueueSpec.OUTBOUND)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sync-outbound");
    }

    @Test
    void closingWakesABlockedReceiver() throws Exception {
        InMemoryJobQueue queue = new InMemoryJobQueue(clock);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<?>> waiting = pool.submit(() -> queue.receive(QueueSpec.INBOUND_WEBHOOK.name(), Duration.ofMinutes(10)));

            queue.close();

            assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedQueueRejectsSends() {
        InMemoryJobQueue queue = new InMemoryJobQueue(clock);
        queue.close();

        assertThatThrownBy(() -> queue.send(QueueSpec.INBOUND_WEBHOOK.name(), OutgoingMessage.of("m-1", new byte[] {1})))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInvalidMessageInSendAllEnqueuesNone() {
        JobQueue queue = new InMemoryJobQueue(clock);
        String webhook = QueueSpec.INBOUND_WEBHOOK.name();

        assertThatThrownBy(() -> queue.sendAll(webhook, List.of(
                OutgoingMessage.of("m-1", bytes("ok")),
                OutgoingMessage.of("m-2", bytes("bad")).withTimeToLive(Duration.ZERO))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messages[1]")
                .hasMessageContaining("timeToLive");
        assertThat(queue.stats(webhook).active()).isZero();
    }

    @Test
    void aReplayTransformThatThrowsLosesNothing() {
        JobQueue queue = new InMemoryJobQueue(clock);
        String webhook = QueueSpec.INBOUND_WEBHOOK.name();
        queue.send(webhook, OutgoingMessage.of("m-1", bytes("x")));
        queue.deadLetter(queue.receive(webhook, Duration.ZERO).orElseThrow(), "Validation", "bad");
        long seq = queue.deadLetters(webhook, 1).get(0).sequenceNumber();

        assertThatThrownBy(() -> queue.replayDeadLetter(webhook, seq, b -> {
            throw new IllegalStateException("cannot parse");
        })).hasMessage("cannot parse");

        assertThat(queue.deadLetters(webhook, 10)).hasSize(1);
        assertThat(queue.stats(webhook).active()).isZero();
    }

    @Test
    void messageTimeToLiveLongerThanTheQueueDefaultIsCappedAtTheDefault() {
        JobQueue queue = new InMemoryJobQueue(clock);
        String webhook = QueueSpec.INBOUND_WEBHOOK.name();
        queue.send(webhook, OutgoingMessage.of("m-1", bytes("x")).withTimeToLive(Duration.ofDays(365)));

        assertThat(queue.receive(webhook, Duration.ZERO).orElseThrow().expiresAt())
                .isEqualTo(Instant.parse("2025-01-15T10:00:00Z").plus(QueueSpec.INBOUND_WEBHOOK.defaultTimeToLive()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
