package com.castiel.sync.azure.functions;

import com.castiel.sync.azure.servicebus.DeadLetterHandOff;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.outbound.SessionOutcome;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What every Service Bus function does around the core handler: turn the trigger into a locked
 * message, refuse dead-letter hand-off copies, run the handler over the {@link TriggerQueue}, and
 * carry out the settlement the handler decided (return to complete, throw to abandon).
 */
final class ServiceBusTrigger {

    private ServiceBusTrigger() {
    }

    /** Runs an inbound job message of {@code queue} through the engine's inbound worker. */
    static void inbound(FunctionsRuntime rt, QueueSpec queue, TriggerMessage trigger, Logger log) {
        LockedMessage locked = admit(rt, queue, trigger);
        Optional<TriggerQueue.Decision> decision;
        try {
            rt.inboundWorker().process(locked);
        } finally {
            decision = rt.triggerQueue().release(locked);
        }
        carryOut(locked, decision, log);
    }

    /** Runs a write-back message through the write-back processor as a one-message session turn. */
    static SessionOutcome outbound(FunctionsRuntime rt, TriggerMessage trigger, Logger log) {
        LockedMessage locked = admit(rt, QueueSpec.OUTBOUND, trigger);
        SessionOutcome outcome;
        Optional<TriggerQueue.Decision> decision;
        try {
            outcome = rt.writeBack().processSession(new TriggeredSession(sessionOf(locked), List.of(locked)));
        } finally {
            decision = rt.triggerQueue().release(locked);
        }
        carryOut(locked, decision, log);
        return outcome;
    }

    private static LockedMessage admit(FunctionsRuntime rt, QueueSpec queue, TriggerMessage trigger) {
        LockedMessage locked = trigger.toLocked(queue.name(), rt.clock());
        if (DeadLetterHandOff.isHandOff(locked.properties())) {
            // refused on every delivery, so the broker dead-letters it after maxDeliveryCount
            throw new RedeliveryRequested("message " + locked.messageId() + " is a dead-letter hand-off ("
                    + locked.properties().get(DeadLetterHandOff.REASON_PROPERTY) + "); refused until the broker dead-letters it");
        }
        return rt.triggerQueue().admit(locked);
    }

    private static void carryOut(LockedMessage locked, Optional<TriggerQueue.Decision> decision, Logger log) {
        switch (decision.orElse(TriggerQueue.Decision.ABANDON)) {
            case COMPLETE -> log.fine(() -> "completed " + locked.messageId());
            case DEAD_LETTER -> log.info(() -> "handed " + locked.messageId() + " of " + locked.queue() + " off to the dead-letter queue");
            case ABANDON -> throw new RedeliveryRequested("message " + locked.messageId() + " of " + locked.queue()
                    + " was not settled; it will be redelivered");
        }
    }

    /** The session (= integration) of a write-back: the message's session id, else the body's integration. */
    private static String sessionOf(LockedMessage locked) {
        if (locked.sessionId() != null) {
            return locked.sessionId();
        }
        try {
            return SyncJson.read(locked.body(), WriteBackMessage.class).integrationId().value();
        } catch (RuntimeException e) {
            return "unknown-session";
        }
    }
}
