package com.castiel.sync.standalone.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.JobQueue.SessionReceiver;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.standalone.store.sqlite.RawSql;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite queue adds to the contract: group commit, state across restarts, pruning, wake-ups. */
class SqliteJobQueueTest {

    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    private static final String WEBHOOK = QueueSpec.INBOUND_WEBHOOK.name();
    private static final String OUTBOUND = QueueSpec.OUTBOUND.name();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final OpenStorages storages = new OpenStorages();

    @AfterEach
    void closeAll() {
        storages.close();
    }

    @Test
    void concurrentSendsAreEachStoredExactlyOnceInSequenceOrder() throws Exception {
        JobQueue queue = storages.open(dir, clock).queue();
        int senders = 64;
        int perSender = 40;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        queue.send(WEBHOOK, OutgoingMessage.of("m-" + sender + "-" + i, bytes(sender + "/" + i)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        Set<String> ids = new HashSet<>();
        Set<Long> sequences = new HashSet<>();
        long[] lastPerSender = new long[senders];
        Optional<LockedMessage> m;
        while ((m = queue.receive(WEBHOOK, Duration.ZERO)).isPresent()) {
            LockedMessage got = m.get();
            assertThat(ids.add(got.messageId())).as("delivered once: %s", got.messageId()).isTrue();
            sequences.add(got.sequenceNumber());
            String[] parts = new String(got.body(), UTF_8).split("/");
            int sender = Integer.parseInt(parts[0]);
            assertThat(got.sequenceNumber()).as("a sender's messages keep their order").isGreaterThan(lastPerSender[sender]);
            lastPerSender[sender] = got.sequenceNumber();
            queue.complete(got);
        }
        assertThat(ids).hasSize(senders * perSender);
        assertThat(sequences).hasSize(senders * perSender);
    }

    @Test
    void aDuplicateIsStillDetectedAfterARestart() {
        storages.open(dir, clock).queue().send(WEBHOOK, OutgoingMessage.of("m-1", bytes("first")));
        storages.close();

        JobQueue reopened = storages.open(dir, clock).queue();
        reopened.send(WEBHOOK, OutgoingMessage.of("m-1", bytes("second")));

        assertThat(new String(reopened.receive(WEBHOOK, Duration.ZERO).orElseThrow().body(), UTF_8)).isEqualTo("first");
        assertThat(reopened.receive(WEBHOOK, Duration.ZERO)).isEmpty();
    }

    @Test
    void aLockHeldByAStoppedProcessIsReleasedWhenTheStorageReopensAndItsOldTokenIsDead() {
        JobQueue queue = storages.open(dir, clock).queue();
        queue.send(WEBHOOK, OutgoingMessage.of("m-1", bytes("a")));
        LockedMessage locked = queue.receive(WEBHOOK, Duration.ZERO).orElseThrow();
        storages.close();

        JobQueue reopened = storages.open(dir, clock).queue();
        LockedMessage again = reopened.receive(WEBHOOK, Duration.ZERO).orElseThrow();

        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThatThrownBy(() -> reopened.complete(locked)).isInstanceOf(MessageLockLostException.class);
        reopened.complete(again);
        assertThat(reopened.receive(WEBHOOK, Duration.ZERO)).isEmpty();
    }

    @Test
    void expiredMessageIdsArePrunedAFewAtEachSendUntilNoneIsLeft() throws Exception {
        EmbeddedStorage storage = storages.open(dir, clock);
        for (int i = 0; i < 100; i++) {
            storage.queue().send(WEBHOOK, OutgoingMessage.of("old-" + i, bytes("x")));
        }
        clock.advance(QueueSpec.INBOUND_WEBHOOK.duplicateDetectionWindow().plusSeconds(1));

        storage.queue().send(WEBHOOK, OutgoingMessage.of("new-0", bytes("x")));
        long afterOneSend = recentIds(storage);
        for (int i = 1; i < 10; i++) {
            storage.queue().send(WEBHOOK, OutgoingMessage.of("new-" + i, bytes("x")));
        }

        assertThat(afterOneSend).as("pruning per send is bounded").isBetween(2L, 100L);
        assertThat(recentIds(storage)).as("only the ids inside the window are left").isEqualTo(10);
    }

    @Test
    void aSessionReceiverWhoseSessionLockExpiredCannotReceive() {
        JobQueue queue = storages.open(dir, clock).queue();
        queue.send(OUTBOUND, OutgoingMessage.of("m-1", bytes("a")).withSession("s-1"));
        SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow();

        clock.advance(QueueSpec.OUTBOUND.lockDuration().plusSeconds(1));

        assertThatThrownBy(() -> session.receive(Duration.ZERO)).isInstanceOf(MessageLockLostException.class);
        session.close();
    }

    @Test
    void aReleasedSessionReceiverRefusesToReceive() {
        JobQueue queue = storages.open(dir, clock).queue();
        queue.send(OUTBOUND, OutgoingMessage.of("m-1", bytes("a")).withSession("s-1"));
        SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow();

        session.close();

        assertThatThrownBy(() -> session.receive(Duration.ZERO)).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
    }

    @Test
    void aSessionReceiverClosedAfterTheQueueStillReleasesItsSession() {
        EmbeddedStorage storage = storages.open(dir, clock);
        storage.queue().send(OUTBOUND, OutgoingMessage.of("m-1", bytes("a")).withSession("s-1"));
        SessionReceiver session = storage.queue().acceptSession(OUTBOUND, Duration.ZERO).orElseThrow();
        session.receive(Duration.ZERO).orElseThrow();

        storage.queue().close();
        session.close();
        storages.close();

        JobQueue reopened = storages.open(dir, clock).queue();
        try (SessionReceiver again = reopened.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow()) {
            assertThat(again.receive(Duration.ZERO)).hasValueSatisfying(m -> assertThat(m.deliveryCount()).isEqualTo(2));
        }
    }

    @Test
    void renewingASessionMessageLockAlsoExtendsTheSession() {
        JobQueue queue = storages.open(dir, clock).queue();
        queue.send(OUTBOUND, OutgoingMessage.of("m-1", bytes("a")).withSession("s-1"));
        queue.send(OUTBOUND, OutgoingMessage.of("m-2", bytes("b")).withSession("s-1"));
        SessionReceiver session = queue.acceptSession(OUTBOUND, Duration.ZERO).orElseThrow();
        LockedMessage first = session.receive(Duration.ZERO).orElseThrow();

        clock.advance(QueueSpec.OUTBOUND.lockDuration().minusSeconds(1));
        LockedMessage renewed = queue.renewLock(first);
        clock.advance(Duration.ofSeconds(2));

        assertThat(queue.acceptSession(OUTBOUND, Duration.ZERO)).as("the session is still held").isEmpty();
        assertThat(session.receive(Duration.ZERO)).hasValueSatisfying(m -> assertThat(m.messageId()).isEqualTo("m-2"));
        queue.complete(renewed);
        session.close();
    }

    @Test
    void aBlockedReceiverPicksUpAScheduledMessageOnceTheClockReachesItsTime() throws Exception {
        JobQueue queue = storages.open(dir, clock).queue();
        queue.send(WEBHOOK, OutgoingMessage.of("m-1", bytes("later")).scheduledAt(START.plusSeconds(60)));
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Optional<LockedMessage>> waiting = pool.submit(() -> queue.receive(WEBHOOK, Duration.ofSeconds(20)));

            clock.advance(Duration.ofSeconds(60));

            assertThat(waiting.get(30, TimeUnit.SECONDS)).hasValueSatisfying(m -> assertThat(m.messageId()).isEqualTo("m-1"));
        }
    }

    @Test
    void closingTheQueueWakesABlockedReceiver() throws Exception {
        JobQueue queue = storages.open(dir, clock).queue();
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Optional<LockedMessage>> waiting = pool.submit(() -> queue.receive(WEBHOOK, Duration.ofSeconds(30)));
            Thread.sleep(100); // let it block; the assertion below holds whether or not it had started waiting

            queue.close();

            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aDeadLetterKeepsItsFieldsAcrossARestartAndCanBeReplayedThen() {
        JobQueue queue = storages.open(dir, clock).queue();
        queue.send(WEBHOOK, OutgoingMessage.of("m-1", bytes("a")).withCorrelationId("corr-1"));
        queue.deadLetter(queue.receive(WEBHOOK, Duration.ZERO).orElseThrow(), "Validation", "bad");
        storages.close();

        JobQueue reopened = storages.open(dir, clock).queue();
        var dead = reopened.deadLetters(WEBHOOK, 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("Validation");
            assertThat(d.correlationId()).isEqualTo("corr-1");
            assertThat(d.deadLetteredAt()).isEqualTo(START);
        });
        assertThat(reopened.replayDeadLetter(WEBHOOK, dead.get(0).sequenceNumber(), b -> b)).isTrue();
        assertThat(reopened.receive(WEBHOOK, Duration.ZERO)).hasValueSatisfying(m -> assertThat(m.deliveryCount()).isEqualTo(1));
    }

    private static long recentIds(EmbeddedStorage storage) throws Exception {
        return RawSql.queryLong(storage.databaseFile(), "SELECT count(*) FROM queue_recent_id");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
