package com.castiel.sync.testkit.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.JobQueue.QueueStats;
import com.castiel.sync.port.JobQueue.SessionReceiver;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The semantics every {@link JobQueue} must have: Azure Service Bus peek-lock queues with
 * delivery counts, lock expiry, TTL, scheduled enqueue, duplicate detection, sessions and a
 * dead-letter sub-queue, as documented on the port. Service Bus itself cannot run on a closed
 * machine, so this suite is the specification the embedded queues are held to.
 *
 * <p>Extend it, implement {@link #createQueue(MutableClock)} to return an empty queue holding the
 * seed's queues ({@link QueueSpec#ALL}) that takes every time decision from the given clock, and
 * override {@link #cleanUp()} when the implementation holds files. Override
 * {@link #createQueue(MutableClock, List)} to also run the tests that need other queue settings.
 *
 * <p>Every test receives with {@link Duration#ZERO} and moves time with the clock, except the two
 * that check blocking receives (bounded to a few seconds of real time) and one bounded
 * concurrency test.
 */
public abstract class JobQueueContract {

    /** Service Bus's dead-letter reason for messages delivered too often. */
    protected static final String MAX_DELIVERY_COUNT_EXCEEDED = "MaxDeliveryCountExceeded";
    /** Service Bus's dead-letter reason for expired messages. */
    protected static final String TTL_EXPIRED = "TTLExpiredException";

    protected static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    protected static final String WEBHOOK = QueueSpec.INBOUND_WEBHOOK.name();
    protected static final String SCHEDULED = QueueSpec.INBOUND_SCHEDULED.name();
    protected static final String OUTBOUND = QueueSpec.OUTBOUND.name();
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    protected MutableClock clock;
    protected JobQueue queue;
    private final List<JobQueue> created = new ArrayList<>();

    /**
     * An empty queue with the seed's queues ({@link QueueSpec#ALL}) that reads time only from
     * {@code clock}.
     */
    protected abstract JobQueue createQueue(MutableClock clock);

    /**
     * An empty queue with the given queue settings. Implementations that cannot be configured
     * this way keep the default, which skips the tests needing it.
     */
    protected JobQueue createQueue(MutableClock clock, List<QueueSpec> queues) {
        Assumptions.abort("this implementation cannot be created with custom queue settings");
        return null;
    }

    /** Called after each test, after the queues were closed: delete files, stop servers. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    public final void createQueueUnderTest() {
        clock = new MutableClock(START);
        queue = track(createQueue(clock));
    }

    @AfterEach
    public final void closeQueuesAndCleanUp() throws Exception {
        try {
            for (JobQueue q : created) {
                q.close();
            }
        } finally {
            created.clear();
            cleanUp();
        }
    }

    private JobQueue track(JobQueue q) {
        created.add(q);
        return q;
    }

    // ---- peek-lock ----

    @Test
    public void receivedMessageCarriesWhatWasSentAndItsLock() {
        queue.send(WEBHOOK, new OutgoingMessage("m-1", null, bytes("hello"), "corr-1", null, null, Map.of("k", "v")));

        LockedMessage m = receive(WEBHOOK).orElseThrow();

        assertThat(m.queue()).isEqualTo(WEBHOOK);
        assertThat(m.messageId()).isEqualTo("m-1");
        assertThat(text(m)).isEqualTo("hello");
        assertThat(m.correlationId()).isEqualTo("corr-1");
        assertThat(m.properties()).isEqualTo(Map.of("k", "v"));
        assertThat(m.sessionId()).isNull();
        assertThat(m.deliveryCount()).isEqualTo(1);
        assertThat(m.enqueuedAt()).isEqualTo(START);
        assertThat(m.expiresAt()).isEqualTo(START.plus(QueueSpec.INBOUND_WEBHOOK.defaultTimeToLive()));
        assertThat(m.lockToken()).isNotBlank();
        assertThat(m.lockedUntil()).isEqualTo(START.plus(QueueSpec.INBOUND_WEBHOOK.lockDuration()));
    }

    @Test
    public void receiveOnAnEmptyQueueReturnsNothing() {
        assertThat(receive(WEBHOOK)).isEmpty();
    }

    @Test
    public void lockedMessageIsInvisibleToAnotherReceiver() {
        send(WEBHOOK, "m-1", "a");
        receive(WEBHOOK).orElseThrow();

        assertThat(receive(WEBHOOK)).isEmpty();
    }

    @Test
    public void lockedMessageStaysInvisibleUntilItsLockDurationHasPassed() {
        send(WEBHOOK, "m-1", "a");
        receive(WEBHOOK).orElseThrow();

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().minus(ONE_SECOND));

        assertThat(receive(WEBHOOK)).isEmpty();
    }

    @Test
    public void anotherReceiverGetsTheNextMessageWhileOneIsLocked() {
        send(WEBHOOK, "m-1", "a");
        send(WEBHOOK, "m-2", "b");

        LockedMessage first = receive(WEBHOOK).orElseThrow();
        LockedMessage second = receive(WEBHOOK).orElseThrow();

        assertThat(Set.of(first.messageId(), second.messageId())).containsExactlyInAnyOrder("m-1", "m-2");
    }

    @Test
    public void completedMessageIsNeverRedelivered() {
        send(WEBHOOK, "m-1", "a");
        queue.complete(receive(WEBHOOK).orElseThrow());

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));

        assertThat(receive(WEBHOOK)).isEmpty();
        assertThat(queue.stats(WEBHOOK).active()).isZero();
    }

    @Test
    public void abandonedMessageIsRedeliveredAtOnceWithItsDeliveryCountIncremented() {
        send(WEBHOOK, "m-1", "a");
        queue.abandon(receive(WEBHOOK).orElseThrow());

        LockedMessage again = receive(WEBHOOK).orElseThrow();

        assertThat(again.messageId()).isEqualTo("m-1");
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(text(again)).isEqualTo("a");
    }

    @Test
    public void deadLetteredMessageAppearsInDeadLettersWithReasonAndDescription() {
        queue.send(WEBHOOK, new OutgoingMessage("m-1", null, bytes("payload"), "corr-1", null, null, Map.of("k", "v")));
        LockedMessage m = receive(WEBHOOK).orElseThrow();
        clock.advance(Duration.ofSeconds(30));

        queue.deadLetter(m, "Validation", "field Name is required");

        assertThat(receive(WEBHOOK)).isEmpty();
        List<DeadLetter> dead = queue.deadLetters(WEBHOOK, 10);
        assertThat(dead).hasSize(1);
        DeadLetter d = dead.get(0);
        assertThat(d.queue()).isEqualTo(WEBHOOK);
        assertThat(d.messageId()).isEqualTo("m-1");
        assertThat(new String(d.body(), UTF_8)).isEqualTo("payload");
        assertThat(d.correlationId()).isEqualTo("corr-1");
        assertThat(d.properties()).isEqualTo(Map.of("k", "v"));
        assertThat(d.reason()).isEqualTo("Validation");
        assertThat(d.description()).isEqualTo("field Name is required");
        assertThat(d.deliveryCount()).isEqualTo(1);
        assertThat(d.deadLetteredAt()).isEqualTo(START.plusSeconds(30));
    }

    public static Stream<QueueSpec> nonSessionQueues() {
        return QueueSpec.ALL.stream().filter(q -> !q.requiresSession());
    }

    @ParameterizedTest
    @MethodSource("nonSessionQueues")
    public void exceedingMaxDeliveryCountDeadLettersWithMaxDeliveryCountExceeded(QueueSpec spec) {
        send(spec.name(), "m-1", "a");
        for (int delivery = 1; delivery <= spec.maxDeliveryCount(); delivery++) {
            LockedMessage m = receive(spec.name()).orElseThrow();
            assertThat(m.deliveryCount()).isEqualTo(delivery);
            queue.abandon(m);
        }

        assertThat(receive(spec.name())).isEmpty();
        List<DeadLetter> dead = queue.deadLetters(spec.name(), 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo("m-1");
            assertThat(d.reason()).isEqualTo(MAX_DELIVERY_COUNT_EXCEEDED);
            assertThat(d.deliveryCount()).isEqualTo(spec.maxDeliveryCount());
        });
    }

    @Test
    public void expiredLocksCountTowardsMaxDeliveryCount() {
        QueueSpec spec = QueueSpec.INBOUND_WEBHOOK;
        send(WEBHOOK, "m-1", "a");
        for (int delivery = 1; delivery <= spec.maxDeliveryCount(); delivery++) {
            assertThat(receive(WEBHOOK).orElseThrow().deliveryCount()).isEqualTo(delivery);
            clock.advance(spec.lockDuration().plus(ONE_SECOND));
        }

        assertThat(receive(WEBHOOK)).isEmpty();
        assertThat(queue.deadLetters(WEBHOOK, 10)).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(MAX_DELIVERY_COUNT_EXCEEDED));
    }

    @Test
    public void expiredLockMakesTheMessageVisibleAgainWithANewLock() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage first = receive(WEBHOOK).orElseThrow();

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));
        LockedMessage again = receive(WEBHOOK).orElseThrow();

        assertThat(again.messageId()).isEqualTo("m-1");
        assertThat(again.sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(again.lockToken()).isNotEqualTo(first.lockToken());
        assertThat(again.lockedUntil()).isEqualTo(clock.instant().plus(QueueSpec.INBOUND_WEBHOOK.lockDuration()));
    }

    @Test
    public void completingWithAnExpiredLockThrowsMessageLockLost() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage m = receive(WEBHOOK).orElseThrow();

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));

        assertThatThrownBy(() -> queue.complete(m)).isInstanceOf(MessageLockLostException.class);
    }

    @Test
    public void abandoningWithAnExpiredLockThrowsMessageLockLost() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage m = receive(WEBHOOK).orElseThrow();

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));

        assertThatThrownBy(() -> queue.abandon(m)).isInstanceOf(MessageLockLostException.class);
    }

    @Test
    public void deadLetteringWithAnExpiredLockThrowsMessageLockLost() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage m = receive(WEBHOOK).orElseThrow();

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));

        assertThatThrownBy(() -> queue.deadLetter(m, "Validation", "x")).isInstanceOf(MessageLockLostException.class);
        assertThat(queue.deadLetters(WEBHOOK, 10)).isEmpty();
    }

    @Test
    public void settlingWithTheTokenOfASupersededDeliveryFailsAndTheCurrentDeliveryIsUnaffected() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage stale = receive(WEBHOOK).orElseThrow();
        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));
        LockedMessage current = receive(WEBHOOK).orElseThrow();

        assertThatThrownBy(() -> queue.complete(stale)).isInstanceOf(MessageLockLostException.class);
        queue.complete(current);

        assertThat(queue.stats(WEBHOOK).active()).isZero();
    }

    @Test
    public void settlingAnAlreadySettledMessageThrowsMessageLockLost() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage m = receive(WEBHOOK).orElseThrow();
        queue.complete(m);

        assertThatThrownBy(() -> queue.complete(m)).isInstanceOf(MessageLockLostException.class);
    }

    @Test
    public void renewLockExtendsTheLockByTheLockDurationFromNow() {
        Duration lockDuration = QueueSpec.INBOUND_WEBHOOK.lockDuration();
        send(WEBHOOK, "m-1", "a");
        LockedMessage m = receive(WEBHOOK).orElseThrow();
        clock.advance(lockDuration.minus(ONE_SECOND));

        LockedMessage renewed = queue.renewLock(m);
        clock.advance(lockDuration.minus(ONE_SECOND));

        assertThat(renewed.lockedUntil()).isEqualTo(START.plus(lockDuration).minus(ONE_SECOND).plus(lockDuration));
        assertThat(receive(WEBHOOK)).isEmpty();
        queue.complete(renewed);
        assertThat(queue.stats(WEBHOOK).active()).isZero();
    }

    @Test
    public void renewingAnExpiredLockThrowsMessageLockLost() {
        send(WEBHOOK, "m-1", "a");
        LockedMessage m = receive(WEBHOOK).orElseThrow();

        clock.advance(QueueSpec.INBOUND_WEBHOOK.lockDuration().plus(ONE_SECOND));

        assertThatThrownBy(() -> queue.renewLock(m)).isInstanceOf(MessageLockLostException.class);
    }

    @Test
    public void sequenceNumbersIncreaseInEnqueueOrder() {
        send(WEBHOOK, "m-1", "a");
        send(WEBHOOK, "m-2", "b");
        send(WEBHOOK, "m-3", "c");

        List<LockedMessage> received = List.of(receive(WEBHOOK).orElseThrow(), receive(WEBHOOK).orElseThrow(), receive(WEBHOOK).orElseThrow());

        Map<String, Long> seqById = new java.util.HashMap<>();
        received.forEach(m -> seqById.put(m.messageId(), m.sequenceNumber()));
        assertThat(seqById.get("m-1")).isLessThan(seqById.get("m-2"));
        assertThat(seqById.get("m-2")).isLessThan(seqById.get("m-3"));
    }

    @Test
    public void sendAllEnqueuesEveryMessage() {
        queue.sendAll(WEBHOOK, List.of(message("m-1", "a"), message("m-2", "b"), message("m-3", "c")));

        Set<String> ids = new HashSet<>();
        receive(WEBHOOK).ifPresent(m -> ids.add(m.messageId()));
        receive(WEBHOOK).ifPresent(m -> ids.add(m.messageId()));
        receive(WEBHOOK).ifPresent(m -> ids.add(m.messageId()));

        assertThat(ids).containsExactlyInAnyOrder("m-1", "m-2", "m-3");
    }

    @Test
    public void changingASentBodyAfterSendingDoesNotChangeTheQueuedMessage() {
        byte[] body = bytes("original");
        queue.send(WEBHOOK, OutgoingMessage.of("m-1", body));

        body[0] = 'X';

        assertThat(text(receive(WEBHOOK).orElseThrow())).isEqualTo("original");
    }

    @Test
    public void unknownQueueIsRejected() {
        assertThatThrownBy(() -> queue.send("no-such-queue", message("m-1", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-queue");
    }

    // ---- TTL ----

    public static Stream<QueueSpec> seedQueues() {
        return QueueSpec.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("seedQueues")
    public void expiredMessageIsDeadLetteredWithTTLExpiredExceptionAndNeverDelivered(QueueSpec spec) {
        OutgoingMessage m = message("m-1", "a");
        queue.send(spec.name(), spec.requiresSession() ? m.withSession("s-1") : m);

        clock.advance(spec.defaultTimeToLive().plus(ONE_SECOND));

        assertThat(receiveAny(spec)).isEmpty();
        assertThat(queue.deadLetters(spec.name(), 10)).singleElement().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo("m-1");
            assertThat(d.reason()).isEqualTo(TTL_EXPIRED);
            assertThat(d.deliveryCount()).isZero();
        });
    }

    @Test
    public void messageIsDeliveredUntilItsTimeToLiveRunsOut() {
        send(WEBHOOK, "m-1", "a");

        clock.advance(QueueSpec.INBOUND_WEBHOOK.defaultTimeToLive().minus(ONE_SECOND));

        assertThat(receive(WEBHOOK)).isPresent();
    }

    @Test
    public void aShorterPerMessageTimeToLiveApplies() {
        queue.send(WEBHOOK, message("m-1", "a").withTimeToLive(Duration.ofMinutes(1)));

        clock.advance(Duration.ofMinutes(1).plus(ONE_SECOND));

        assertThat(receive(WEBHOOK)).isEmpty();
        assertThat(queue.deadLetters(WEBHOOK, 10)).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(TTL_EXPIRED));
    }

    @Test
    public void expiredMessageIsDroppedWhenTheQueueDoesNotDeadLetterOnExpiration() {
        QueueSpec dropping = new QueueSpec("dropping", 3, Duration.ofMinutes(1), Duration.ofHours(1), false, false, Duration.ofMinutes(10));
        JobQueue custom = track(createQueue(clock, List.of(dropping)));
        custom.send("dropping", message("m-1", "a"));

        clock.advance(Duration.ofHours(1).plus(ONE_SECOND));

        assertThat(custom.receive("dropping", Duration.ZERO)).isEmpty();
        assertThat(custom.deadLetters("dropping", 10)).isEmpty();
        assertThat(custom.stats("dropping")).isEqualTo(new QueueStats(0, 0, 0));
    }

    // ---- scheduled enqueue ----

    @Test
    public void scheduledMessageIsInvisibleUntilItsScheduledTime() {
        Instant at = START.plus(Duration.ofHours(1));
        queue.send(WEBHOOK, message("m-1", "a").scheduledAt(at));

        clock.set(at.minus(ONE_SECOND));
        assertThat(receive(WEBHOOK)).isEmpty();

        clock.set(at);
        LockedMessage m = receive(WEBHOOK).orElseThrow();
        assertThat(m.messageId()).isEqualTo("m-1");
        assertThat(m.enqueuedAt()).isEqualTo(at);
    }

    @Test
    public void scheduledMessageTimeToLiveCountsFromItsScheduledTime() {
        Instant at = START.plus(Duration.ofDays(3));
        queue.send(WEBHOOK, message("m-1", "a").scheduledAt(at));

        clock.set(at.plus(QueueSpec.INBOUND_WEBHOOK.defaultTimeToLive()).minus(ONE_SECOND));

        assertThat(receive(WEBHOOK)).isPresent();
    }

    @Test
    public void messageScheduledInThePastIsVisibleAtOnce() {
        queue.send(WEBHOOK, message("m-1", "a").scheduledAt(START.minus(Duration.ofMinutes(5))));

        assertThat(receive(WEBHOOK)).isPresent();
    }

    // ---- duplicate detection ----

    @Test
    public void duplicateMessageIdWithinTheDetectionWindowIsDropped() {
        send(WEBHOOK, "m-1", "first");
        clock.advance(QueueSpec.INBOUND_WEBHOOK.duplicateDetectionWindow().minus(ONE_SECOND));
        send(WEBHOOK, "m-1", "second");

        assertThat(text(receive(WEBHOOK).orElseThrow())).isEqualTo("first");
        assertThat(receive(WEBHOOK)).isEmpty();
        assertThat(queue.stats(WEBHOOK).active()).isEqualTo(1);
    }

    @Test
    public void duplicateDetectionStillAppliesAfterTheOriginalWasCompleted() {
        send(WEBHOOK, "m-1", "first");
        queue.complete(receive(WEBHOOK).orElseThrow());

        send(WEBHOOK, "m-1", "second");

        assertThat(receive(WEBHOOK)).isEmpty();
    }

    @Test
    public void sameMessageIdAfterTheDetectionWindowIsAccepted() {
        send(WEBHOOK, "m-1", "first");
        queue.complete(receive(WEBHOOK).orElseThrow());
        clock.advance(QueueSpec.INBOUND_WEBHOOK.duplicateDetectionWindow().plus(ONE_SECOND));

        send(WEBHOOK, "m-1", "second");

        assertThat(text(receive(WEBHOOK).orElseThrow())).isEqualTo("second");
    }

    @Test
    public void duplicateDetectionIsPerQueue() {
        send(WEBHOOK, "m-1", "a");
        send(SCHEDULED, "m-1", "b");

        assertThat(receive(WEBHOOK)).isPresent();
        assertThat(receive(SCHEDULED)).isPresent();
    }

    @Test
    public void duplicateInsideOneSendAllIsDropped() {
        queue.sendAll(WEBHOOK, List.of(message("m-1", "first"), message("m-1", "second")));

        assertThat(text(receive(WEBHOOK).orElseThrow())).isEqualTo("first");
        assertThat(receive(WEBHOOK)).isEmpty();
    }

    // ---- sessions ----

    @Test
    public void sessionMessagesAreReceivedInSequenceOrder() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        sendToSession("s-1", "m-3", "third");

        List<String> order = new ArrayList<>();
        try (SessionReceiver session = acceptSession().orElseThrow()) {
            for (int i = 0; i < 3; i++) {
                LockedMessage m = session.receive(Duration.ZERO).orElseThrow();
                order.add(text(m));
                queue.complete(m);
            }
            assertThat(session.receive(Duration.ZERO)).isEmpty();
        }

        assertThat(order).containsExactly("first", "second", "third");
    }

    @Test
    public void acceptedSessionIsExclusive() {
        sendToSession("s-1", "m-1", "a");
        sendToSession("s-1", "m-2", "b");
        sendToSession("s-2", "m-3", "c");

        SessionReceiver first = acceptSession().orElseThrow();
        Optional<SessionReceiver> second = acceptSession();
        Optional<SessionReceiver> third = acceptSession();

        assertThat(second).isPresent();
        assertThat(second.get().sessionId()).isNotEqualTo(first.sessionId());
        assertThat(third).isEmpty();
        first.close();
        second.get().close();
    }

    @Test
    public void acceptSessionReturnsNothingWhenNoSessionHasAVisibleMessage() {
        queue.send(OUTBOUND, message("m-1", "a").withSession("s-1").scheduledAt(START.plus(Duration.ofHours(1))));

        assertThat(acceptSession()).isEmpty();
    }

    @Test
    public void sessionReceiverMayHoldSeveralMessagesOfItsSessionInOrder() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        sendToSession("s-1", "m-3", "third");

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            LockedMessage first = session.receive(Duration.ZERO).orElseThrow();
            LockedMessage second = session.receive(Duration.ZERO).orElseThrow();

            assertThat(text(first)).isEqualTo("first");
            assertThat(text(second)).isEqualTo("second");
            queue.abandon(first);
            LockedMessage again = session.receive(Duration.ZERO).orElseThrow();
            assertThat(text(again)).as("an abandoned message comes back before later ones").isEqualTo("first");
            queue.complete(again);
            queue.complete(second);
            assertThat(text(session.receive(Duration.ZERO).orElseThrow())).isEqualTo("third");
        }
    }

    @Test
    public void batchReceiveTakesTheSessionsNextMessagesInOrderPassingOverThoseItHolds() {
        for (int i = 1; i <= 5; i++) {
            sendToSession("s-1", "m-" + i, "message " + i);
        }

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            List<LockedMessage> firstThree = session.receiveBatch(3, Duration.ZERO);
            assertThat(firstThree).extracting(JobQueueContract::text).containsExactly("message 1", "message 2", "message 3");
            assertThat(firstThree).allSatisfy(m -> assertThat(m.deliveryCount()).isEqualTo(1));

            List<LockedMessage> rest = session.receiveBatch(10, Duration.ZERO);
            assertThat(rest).extracting(JobQueueContract::text).containsExactly("message 4", "message 5");
            assertThat(session.receiveBatch(10, Duration.ZERO)).isEmpty();

            queue.abandon(firstThree.get(1));
            List<LockedMessage> again = session.receiveBatch(10, Duration.ZERO);
            assertThat(again).extracting(JobQueueContract::text).as("only the abandoned one is free again").containsExactly("message 2");
            assertThat(again.get(0).deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    public void batchReceiveRejectsAnEmptyBatch() {
        sendToSession("s-1", "m-1", "first");

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            assertThatThrownBy(() -> session.receiveBatch(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThat(session.receiveBatch(1, Duration.ZERO)).extracting(JobQueueContract::text).containsExactly("first");
        }
    }

    @Test
    public void completeAllCompletesInOrderUpToTheFirstLostLock() {
        send(WEBHOOK, "m-1", "a");
        send(WEBHOOK, "m-2", "b");
        send(WEBHOOK, "m-3", "c");
        LockedMessage a = receive(WEBHOOK).orElseThrow();
        LockedMessage b = receive(WEBHOOK).orElseThrow();
        LockedMessage c = receive(WEBHOOK).orElseThrow();
        queue.complete(b);

        assertThatThrownBy(() -> queue.completeAll(List.of(a, b, c))).isInstanceOf(MessageLockLostException.class);

        assertThat(queue.stats(WEBHOOK).active()).as("a completed, c untouched").isEqualTo(1);
        assertThatThrownBy(() -> queue.complete(a)).isInstanceOf(MessageLockLostException.class);
        queue.complete(c);
        assertThat(queue.stats(WEBHOOK).active()).isZero();
    }

    @Test
    public void completeAllOfSessionMessagesLetsTheSessionMoveOn() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        sendToSession("s-1", "m-3", "third");

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            queue.completeAll(session.receiveBatch(2, Duration.ZERO));
            assertThat(session.receiveBatch(5, Duration.ZERO)).extracting(JobQueueContract::text).containsExactly("third");
        }
        assertThat(queue.stats(OUTBOUND).active()).as("third was not settled: the closed session released it").isEqualTo(1);
    }

    @Test
    public void messagesLockedUnderAnExpiredSessionLockAreRedeliveredFirstToTheNextOwner() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        SessionReceiver stale = acceptSession().orElseThrow();
        stale.receive(Duration.ZERO).orElseThrow();

        clock.advance(QueueSpec.OUTBOUND.lockDuration().plusSeconds(1));

        try (SessionReceiver next = acceptSession().orElseThrow()) {
            assertThat(text(next.receive(Duration.ZERO).orElseThrow())).isEqualTo("first");
        }
    }

    @Test
    public void abandonedSessionMessageIsRedeliveredBeforeLaterOnes() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            queue.abandon(session.receive(Duration.ZERO).orElseThrow());

            LockedMessage again = session.receive(Duration.ZERO).orElseThrow();
            assertThat(text(again)).isEqualTo("first");
            assertThat(again.deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    public void messagesOfDifferentSessionsAreProcessedIndependently() {
        sendToSession("s-1", "m-1", "a1");
        sendToSession("s-1", "m-2", "a2");
        sendToSession("s-2", "m-3", "b1");

        SessionReceiver one = acceptSession().orElseThrow();
        LockedMessage fromOne = one.receive(Duration.ZERO).orElseThrow();
        SessionReceiver two = acceptSession().orElseThrow();
        LockedMessage fromTwo = two.receive(Duration.ZERO).orElseThrow();

        assertThat(fromOne.sessionId()).isEqualTo(one.sessionId());
        assertThat(fromTwo.sessionId()).isEqualTo(two.sessionId());
        assertThat(Set.of(one.sessionId(), two.sessionId())).containsExactlyInAnyOrder("s-1", "s-2");
        queue.complete(fromTwo);
        queue.complete(fromOne);
        one.close();
        two.close();
    }

    @Test
    public void releasingASessionMakesItAcceptableAgain() {
        sendToSession("s-1", "m-1", "first");
        sendToSession("s-1", "m-2", "second");
        SessionReceiver session = acceptSession().orElseThrow();
        queue.complete(session.receive(Duration.ZERO).orElseThrow());

        session.close();

        try (SessionReceiver again = acceptSession().orElseThrow()) {
            assertThat(again.sessionId()).isEqualTo("s-1");
            assertThat(text(again.receive(Duration.ZERO).orElseThrow())).isEqualTo("second");
        }
    }

    @Test
    public void releasingASessionReleasesItsUnsettledMessageWithItsDeliveryCountKept() {
        sendToSession("s-1", "m-1", "first");
        SessionReceiver session = acceptSession().orElseThrow();
        LockedMessage unsettled = session.receive(Duration.ZERO).orElseThrow();

        session.close();

        assertThatThrownBy(() -> queue.complete(unsettled)).isInstanceOf(MessageLockLostException.class);
        try (SessionReceiver again = acceptSession().orElseThrow()) {
            LockedMessage redelivered = again.receive(Duration.ZERO).orElseThrow();
            assertThat(redelivered.messageId()).isEqualTo("m-1");
            assertThat(redelivered.deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    public void anExpiredSessionLockMakesTheSessionAcceptableAgain() {
        sendToSession("s-1", "m-1", "first");
        SessionReceiver abandoned = acceptSession().orElseThrow();
        abandoned.receive(Duration.ZERO).orElseThrow();

        clock.advance(QueueSpec.OUTBOUND.lockDuration().plus(ONE_SECOND));

        try (SessionReceiver again = acceptSession().orElseThrow()) {
            assertThat(again.sessionId()).isEqualTo("s-1");
            assertThat(again.receive(Duration.ZERO).orElseThrow().deliveryCount()).isEqualTo(2);
        }
        abandoned.close();
    }

    @Test
    public void receiveWithoutASessionOnASessionQueueIsRejected() {
        assertThatThrownBy(() -> queue.receive(OUTBOUND, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void sendingWithoutASessionIdToASessionQueueIsRejected() {
        assertThatThrownBy(() -> queue.send(OUTBOUND, message("m-1", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionId");
    }

    @Test
    public void sendingWithASessionIdToAQueueWithoutSessionsIsRejected() {
        assertThatThrownBy(() -> queue.send(WEBHOOK, message("m-1", "a").withSession("s-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionId");
    }

    // ---- dead-letter review ----

    @Test
    public void replayPutsADeadLetterBackWithAFreshDeliveryCountAndTheTransformedBody() {
        send(WEBHOOK, "m-1", "attempt=3");
        LockedMessage m = receive(WEBHOOK).orElseThrow();
        queue.abandon(m);
        queue.deadLetter(receive(WEBHOOK).orElseThrow(), "Transient", "gave up");
        long seq = queue.deadLetters(WEBHOOK, 10).get(0).sequenceNumber();

        boolean replayed = queue.replayDeadLetter(WEBHOOK, seq, body -> bytes(new String(body, UTF_8).replace("3", "0")));

        assertThat(replayed).isTrue();
        assertThat(queue.deadLetters(WEBHOOK, 10)).isEmpty();
        LockedMessage back = receive(WEBHOOK).orElseThrow();
        assertThat(back.messageId()).isEqualTo("m-1");
        assertThat(text(back)).isEqualTo("attempt=0");
        assertThat(back.deliveryCount()).isEqualTo(1);
    }

    @Test
    public void replayOfAnUnknownDeadLetterReturnsFalse() {
        assertThat(queue.replayDeadLetter(WEBHOOK, 424242L, b -> b)).isFalse();
    }

    @Test
    public void replayedSessionMessageKeepsItsSession() {
        sendToSession("s-7", "m-1", "a");
        try (SessionReceiver session = acceptSession().orElseThrow()) {
            queue.deadLetter(session.receive(Duration.ZERO).orElseThrow(), "Conflict", "x");
        }
        DeadLetter dead = queue.deadLetters(OUTBOUND, 10).get(0);
        assertThat(dead.sessionId()).isEqualTo("s-7");

        queue.replayDeadLetter(OUTBOUND, dead.sequenceNumber(), b -> b);

        try (SessionReceiver session = acceptSession().orElseThrow()) {
            assertThat(session.sessionId()).isEqualTo("s-7");
            assertThat(session.receive(Duration.ZERO).orElseThrow().messageId()).isEqualTo("m-1");
        }
    }

    @Test
    public void deadLettersAreListedOldestFirstUpToTheLimit() {
        for (int i = 1; i <= 3; i++) {
            send(WEBHOOK, "m-" + i, "x");
            queue.deadLetter(receive(WEBHOOK).orElseThrow(), "Validation", "bad " + i);
            clock.advance(ONE_SECOND);
        }

        List<DeadLetter> firstTwo = queue.deadLetters(WEBHOOK, 2);

        assertThat(firstTwo).extracting(DeadLetter::messageId).containsExactly("m-1", "m-2");
        assertThat(firstTwo.get(0).sequenceNumber()).isLessThan(firstTwo.get(1).sequenceNumber());
    }

    @Test
    public void purgeWithASequenceNumberDeletesOneDeadLetter() {
        deadLetterThree();
        List<DeadLetter> before = queue.deadLetters(WEBHOOK, 10);

        int purged = queue.purgeDeadLetters(WEBHOOK, before.get(1).sequenceNumber());

        assertThat(purged).isEqualTo(1);
        assertThat(queue.deadLetters(WEBHOOK, 10)).extracting(DeadLetter::messageId).containsExactly("m-1", "m-3");
    }

    @Test
    public void purgeWithoutASequenceNumberDeletesAllDeadLetters() {
        deadLetterThree();

        int purged = queue.purgeDeadLetters(WEBHOOK, null);

        assertThat(purged).isEqualTo(3);
        assertThat(queue.deadLetters(WEBHOOK, 10)).isEmpty();
        assertThat(queue.stats(WEBHOOK).deadLettered()).isZero();
    }

    @Test
    public void purgeOfAnUnknownDeadLetterDeletesNothing() {
        deadLetterThree();

        assertThat(queue.purgeDeadLetters(WEBHOOK, 424242L)).isZero();
        assertThat(queue.deadLetters(WEBHOOK, 10)).hasSize(3);
    }

    // ---- stats ----

    @Test
    public void statsCountActiveScheduledAndDeadLetteredMessages() {
        send(WEBHOOK, "m-1", "visible");
        send(WEBHOOK, "m-2", "will be locked");
        send(WEBHOOK, "m-3", "will be dead-lettered");
        queue.send(WEBHOOK, message("m-4", "scheduled").scheduledAt(START.plus(Duration.ofHours(1))));
        LockedMessage locked = receive(WEBHOOK).orElseThrow();
        LockedMessage doomed = receive(WEBHOOK).orElseThrow();
        queue.deadLetter(doomed, "Validation", "x");

        assertThat(locked).isNotNull();
        assertThat(queue.stats(WEBHOOK)).isEqualTo(new QueueStats(2, 1, 1));
        assertThat(queue.stats(SCHEDULED)).isEqualTo(new QueueStats(0, 0, 0));
    }

    @Test
    public void statsCountAScheduledMessageAsActiveOnceItsTimeHasCome() {
        queue.send(WEBHOOK, message("m-1", "a").scheduledAt(START.plus(Duration.ofHours(1))));

        clock.advance(Duration.ofHours(1));

        assertThat(queue.stats(WEBHOOK)).isEqualTo(new QueueStats(1, 0, 0));
    }

    // ---- blocking and concurrency (bounded real time) ----

    @Test
    public void receiveWithAMaxWaitReturnsNothingWhenNoMessageArrives() {
        assertThat(queue.receive(WEBHOOK, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    public void receiveWithAMaxWaitGetsAMessageSentWhileItWaits() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<LockedMessage>> waiting = pool.submit(() -> queue.receive(WEBHOOK, Duration.ofSeconds(10)));

            send(WEBHOOK, "m-1", "late");

            assertThat(waiting.get(20, TimeUnit.SECONDS)).hasValueSatisfying(m -> assertThat(m.messageId()).isEqualTo("m-1"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void concurrentReceiversNeverGetTheSameMessage() throws Exception {
        int messages = 200;
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            batch.add(message("m-" + i, "x"));
        }
        queue.sendAll(WEBHOOK, batch);
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    Optional<LockedMessage> m;
                    while ((m = queue.receive(WEBHOOK, Duration.ZERO)).isPresent()) {
                        deliveries.computeIfAbsent(m.get().messageId(), id -> new AtomicInteger()).incrementAndGet();
                        queue.complete(m.get());
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(deliveries).hasSize(messages);
        assertThat(deliveries.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }

    // ---- helpers ----

    protected Optional<LockedMessage> receive(String queueName) {
        return queue.receive(queueName, Duration.ZERO);
    }

    protected Optional<SessionReceiver> acceptSession() {
        return queue.acceptSession(OUTBOUND, Duration.ZERO);
    }

    /** Receives from any seed queue, through a session when it has sessions. */
    private Optional<LockedMessage> receiveAny(QueueSpec spec) {
        if (!spec.requiresSession()) {
            return receive(spec.name());
        }
        Optional<SessionReceiver> session = queue.acceptSession(spec.name(), Duration.ZERO);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        try (SessionReceiver s = session.get()) {
            return s.receive(Duration.ZERO);
        }
    }

    protected void send(String queueName, String messageId, String body) {
        queue.send(queueName, message(messageId, body));
    }

    protected void sendToSession(String sessionId, String messageId, String body) {
        queue.send(OUTBOUND, message(messageId, body).withSession(sessionId));
    }

    private void deadLetterThree() {
        for (int i = 1; i <= 3; i++) {
            send(WEBHOOK, "m-" + i, "x");
            queue.deadLetter(receive(WEBHOOK).orElseThrow(), "Validation", "bad " + i);
        }
    }

    protected static OutgoingMessage message(String messageId, String body) {
        return OutgoingMessage.of(messageId, bytes(body));
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(LockedMessage m) {
        return new String(m.body(), UTF_8);
    }
}
