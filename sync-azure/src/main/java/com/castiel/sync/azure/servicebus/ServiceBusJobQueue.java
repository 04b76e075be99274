package com.castiel.sync.azure.servicebus;

import com.azure.core.util.IterableStream;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.administration.models.QueueRuntimeProperties;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.castiel.sync.port.DeadLetter;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.MessageLockLostException;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * {@link JobQueue} on Azure Service Bus, mapping the port onto the broker's own features: queues
 * created from {@link QueueSpec} (max delivery count, lock duration, TTL, dead-lettering on
 * expiry, sessions, duplicate detection), message id for duplicate detection, scheduled enqueue
 * time for backoff, session id = integration id on {@code sync-outbound}.
 *
 * <p><b>Settlement.</b> Messages received here ({@link #receive}, {@link #acceptSession}) or handed
 * in by a processor ({@link #track}) are remembered by lock token until settled; settling a
 * message this queue does not hold (another process's, or already settled) throws
 * {@link MessageLockLostException}. Processor-delivered messages settle through
 * {@link MessageSettlement} on their context; their locks are renewed by the processor
 * ({@code maxAutoLockRenewDuration}), so {@link #renewLock} returns them unchanged.
 *
 * <p><b>Differences from the embedded queue</b>, which Service Bus cannot express:
 * <ul>
 *   <li>{@link #replayDeadLetter} sends the replay with id {@code <messageId>~replay~<sequence>}:
 *       Service Bus would drop a resend of the same id inside the detection window.</li>
 *   <li>{@link #deadLetters} reports the time a message was first enqueued as
 *       {@code deadLetteredAt} (Service Bus keeps no dead-letter time).</li>
 *   <li>Finding one dead letter by sequence number receives the dead-letter sub-queue in order and
 *       abandons the others, scanning at most {@value #MAX_DEAD_LETTER_SCAN} messages.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ServiceBusJobQueue implements JobQueue {

    static final int MAX_DEAD_LETTER_SCAN = 1000;
    private static final int SCAN_BATCH = 50;
    private static final Duration SCAN_WAIT = Duration.ofSeconds(2);

    private final ServiceBusClients clients;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public ServiceBusJobQueue(ServiceBusClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    // ---- sending ----

    @Override
    public void send(String queue, OutgoingMessage message) {
        QueueSpec spec = QueueSpec.named(queue);
        ServiceBusMessage out = ServiceBusMessages.toServiceBus(spec, message);
        try {
            clients.sender(queue).sendMessage(out);
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("sending message " + message.messageId() + " to " + queue, e);
        }
    }

    /** Sends in as few broker batches as fit; each batch is one durable step. */
    @Override
    public void sendAll(String queue, List<OutgoingMessage> messages) {
        QueueSpec spec = QueueSpec.named(queue);
        List<ServiceBusMessage> out = messages.stream().map(m -> ServiceBusMessages.toServiceBus(spec, m)).toList();
        if (out.isEmpty()) {
            return;
        }
        ServiceBusSenderClient sender = clients.sender(queue);
        try {
            ServiceBusMessageBatch batch = sender.createMessageBatch();
            for (ServiceBusMessage m : out) {
                if (!batch.tryAddMessage(m)) {
                    if (batch.getCount() == 0) {
                        throw new IllegalArgumentException("message " + m.getMessageId() + " is larger than a Service Bus batch");
                    }
                    sender.sendMessages(batch);
                    batch = sender.createMessageBatch();
                    if (!batch.tryAddMessage(m)) {
                        throw new IllegalArgumentException("message " + m.getMessageId() + " is larger than a Service Bus batch");
                    }
                }
            }
            if (batch.getCount() > 0) {
                sender.sendMessages(batch);
            }
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("sending " + out.size() + " messages to " + queue, e);
        }
    }

    // ---- receiving ----

    @Override
    public Optional<LockedMessage> receive(String queue, Duration maxWait) {
        QueueSpec spec = QueueSpec.named(queue);
        if (spec.requiresSession()) {
            throw new IllegalArgumentException("queue " + queue + " has sessions; use acceptSession");
        }
        return receiveOne(queue, clients.receiver(queue), maxWait);
    }

    /**
     * Accepts the next available session. The wait is bounded by the client's AMQP try timeout
     * rather than {@code maxWait}: the SDK offers no shorter cancellable accept.
     */
    @Override
    public Optional<SessionReceiver> acceptSession(String queue, Duration maxWait) {
        QueueSpec spec = QueueSpec.named(queue);
        if (!spec.requiresSession()) {
            throw new IllegalArgumentException("queue " + queue + " has no sessions; use receive");
        }
        ServiceBusReceiverClient session;
        try {
            session = clients.sessionReceiver(queue).acceptNextSession();
        } catch (ServiceBusException e) {
            if (ServiceBusFailureReason.SERVICE_TIMEOUT.equals(e.getReason())) {
                return Optional.empty();
            }
            throw ServiceBusFailures.translate("accepting a session of " + queue, e);
        }
        return Optional.of(new Session(queue, session));
    }

    /** Registers a message a processor delivered, so the engine can settle it through this queue. */
    public LockedMessage track(String queue, ServiceBusReceivedMessageContext context) {
        LockedMessage locked = ServiceBusMessages.toLocked(queue, context.getMessage());
        held.put(locked.lockToken(), new Held.Delivered(context));
        return locked;
    }

    private Optional<LockedMessage> receiveOne(String queue, ServiceBusReceiverClient receiver, Duration maxWait) {
        try {
            for (ServiceBusReceivedMessage m : receiver.receiveMessages(1, maxWait)) {
                LockedMessage locked = ServiceBusMessages.toLocked(queue, m);
                held.put(locked.lockToken(), new Held.Received(receiver, m));
                return Optional.of(locked);
            }
            return Optional.empty();
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("receiving from " + queue, e);
        }
    }

    // ---- settlement ----

    @Override
    public void complete(LockedMessage message) {
        Held h = take(message);
        switch (h) {
            case Held.Received r -> settle(message, () -> r.receiver().complete(r.message()));
            case Held.Delivered d -> MessageSettlement.complete(d.context());
        }
    }

    @Override
    public void abandon(LockedMessage message) {
        Held h = take(message);
        switch (h) {
            case Held.Received r -> settle(message, () -> r.receiver().abandon(r.message()));
            case Held.Delivered d -> MessageSettlement.abandon(d.context());
        }
    }

    @Override
    public void deadLetter(LockedMessage message, String reason, String description) {
        Held h = take(message);
        switch (h) {
            case Held.Received r -> settle(message, () -> r.receiver().deadLetter(r.message(), new DeadLetterOptions()
                    .setDeadLetterReason(DeadLetterHandOff.bounded(reason))
                    .setDeadLetterErrorDescription(DeadLetterHandOff.bounded(description == null ? "" : description))));
            case Held.Delivered d -> MessageSettlement.deadLetter(d.context(), reason, description);
        }
    }

    @Override
    public LockedMessage renewLock(LockedMessage message) {
        Held h = held.get(message.lockToken());
        if (h == null) {
            throw new MessageLockLostException("message " + message.messageId() + " of " + message.queue() + " is not held by this receiver");
        }
        return switch (h) {
            case Held.Received r -> {
                try {
                    java.time.OffsetDateTime until = r.message().getSessionId() != null
                            ? r.receiver().renewSessionLock()
                            : r.receiver().renewMessageLock(r.message());
                    yield new LockedMessage(message.queue(), message.messageId(), message.sequenceNumber(), message.sessionId(), message.body(),
                            message.correlationId(), message.deliveryCount(), message.enqueuedAt(), message.expiresAt(), message.lockToken(),
                            until.toInstant(), message.properties());
                } catch (ServiceBusException e) {
                    held.remove(message.lockToken());
                    throw ServiceBusFailures.translate("renewing the lock of " + message.messageId(), e);
                }
            }
            case Held.Delivered d -> message;
        };
    }

    private Held take(LockedMessage message) {
        Held h = held.remove(message.lockToken());
        if (h == null) {
            throw new MessageLockLostException("message " + message.messageId() + " of " + message.queue()
                    + " is not held by this receiver (settled already, or its lock was lost)");
        }
        return h;
    }

    private static void settle(LockedMessage message, Runnable action) {
        try {
            action.run();
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("settling message " + message.messageId() + " of " + message.queue(), e);
        }
    }

    // ---- counts and dead letters ----

    @Override
    public QueueStats stats(String queue) {
        QueueSpec.named(queue);
        QueueRuntimeProperties p = clients.administration().getQueueRuntimeProperties(queue);
        return new QueueStats(p.getActiveMessageCount(), p.getScheduledMessageCount(), p.getDeadLetterMessageCount());
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        QueueSpec.named(queue);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        try {
            // from sequence number 0: a receiver's peek cursor would otherwise continue where the last peek stopped
            IterableStream<ServiceBusReceivedMessage> peeked = clients.deadLetterReceiver(queue).peekMessages(limit, 0L);
            List<DeadLetter> out = new ArrayList<>();
            peeked.forEach(m -> out.add(ServiceBusMessages.toDeadLetter(queue, m)));
            return out;
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("peeking dead letters of " + queue, e);
        }
    }

    @Override
    public boolean replayDeadLetter(String queue, long sequenceNumber, UnaryOperator<byte[]> transform) {
        QueueSpec spec = QueueSpec.named(queue);
        ServiceBusReceiverClient dlq = clients.deadLetterReceiver(queue);
        Optional<ServiceBusReceivedMessage> found = findDeadLetter(queue, dlq, sequenceNumber);
        if (found.isEmpty()) {
            return false;
        }
        ServiceBusReceivedMessage m = found.get();
        Map<String, String> properties = new java.util.LinkedHashMap<>(ServiceBusMessages.properties(m.getApplicationProperties()));
        properties.remove(DeadLetterHandOff.REASON_PROPERTY);
        properties.remove(DeadLetterHandOff.DESCRIPTION_PROPERTY);
        OutgoingMessage replay = new OutgoingMessage(replayId(m.getMessageId(), sequenceNumber), m.getSessionId(),
                transform.apply(ServiceBusMessages.body(m)), m.getCorrelationId(), null, null, properties);
        try {
            clients.sender(queue).sendMessage(ServiceBusMessages.toServiceBus(spec, replay));
            dlq.complete(m);
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("replaying dead letter " + sequenceNumber + " of " + queue, e);
        }
        return true;
    }

    @Override
    public int purgeDeadLetters(String queue, Long sequenceNumber) {
        QueueSpec.named(queue);
        ServiceBusReceiverClient dlq = clients.deadLetterReceiver(queue);
        try {
            if (sequenceNumber != null) {
                Optional<ServiceBusReceivedMessage> found = findDeadLetter(queue, dlq, sequenceNumber);
                found.ifPresent(dlq::complete);
                return found.isPresent() ? 1 : 0;
            }
            int purged = 0;
            while (true) {
                int batch = 0;
                for (ServiceBusReceivedMessage m : dlq.receiveMessages(SCAN_BATCH, SCAN_WAIT)) {
                    dlq.complete(m);
                    batch++;
                }
                purged += batch;
                if (batch == 0) {
                    return purged;
                }
            }
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("purging dead letters of " + queue, e);
        }
    }

    /** Receives the dead-letter sub-queue in order until {@code sequenceNumber}; abandons what it passes. */
    private Optional<ServiceBusReceivedMessage> findDeadLetter(String queue, ServiceBusReceiverClient dlq, long sequenceNumber) {
        List<ServiceBusReceivedMessage> passed = new ArrayList<>();
        try {
            while (passed.size() < MAX_DEAD_LETTER_SCAN) {
                int got = 0;
                for (ServiceBusReceivedMessage m : dlq.receiveMessages(SCAN_BATCH, SCAN_WAIT)) {
                    got++;
                    if (m.getSequenceNumber() == sequenceNumber) {
                        return Optional.of(m);
                    }
                    passed.add(m);
                }
                if (got == 0) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } catch (ServiceBusException e) {
            throw ServiceBusFailures.translate("looking for dead letter " + sequenceNumber + " of " + queue, e);
        } finally {
            for (ServiceBusReceivedMessage m : passed) {
                try {
                    dlq.abandon(m);
                } catch (ServiceBusException ignored) {
                    // its lock runs out and it becomes visible again
                }
            }
        }
    }

    static String replayId(String messageId, long sequenceNumber) {
        String id = messageId + "~replay~" + sequenceNumber;
        return id.length() <= ServiceBusMessages.MAX_ID_LENGTH ? id
                : java.util.UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    @Override
    public void close() {
        clients.close();
    }

    /** What settles a held message. */
    private sealed interface Held {
        record Received(ServiceBusReceiverClient receiver, ServiceBusReceivedMessage message) implements Held {
        }

        record Delivered(ServiceBusReceivedMessageContext context) implements Held {
        }
    }

    /** A locked session: its receiver client holds the session lock until closed. */
    private final class Session implements SessionReceiver {
        private final String queue;
        private final ServiceBusReceiverClient receiver;

        Session(String queue, ServiceBusReceiverClient receiver) {
            this.queue = queue;
            this.receiver = receiver;
        }

        @Override
        public String sessionId() {
            return receiver.getSessionId();
        }

        @Override
        public Optional<LockedMessage> receive(Duration maxWait) {
            return receiveOne(queue, receiver, maxWait);
        }

        @Override
        public void close() {
            held.values().removeIf(h -> h instanceof Held.Received r && r.receiver() == receiver);
            receiver.close();
        }
    }
}
