package com.castiel.sync.outbound;

import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.LockedMessage;
import java.util.Objects;

/**
 * A received, still unsettled write-back message and its current lock (replaced on each renewal).
 * Confined to the thread processing its session.
 */
final class Delivery {

    private LockedMessage locked;
    private final WriteBackMessage message;

    Delivery(LockedMessage locked, WriteBackMessage message) {
        this.locked = Objects.requireNonNull(locked, "locked");
        this.message = Objects.requireNonNull(message, "message");
    }

    LockedMessage locked() {
        return locked;
    }

    void renewed(LockedMessage renewed) {
        this.locked = renewed;
    }

    WriteBackMessage message() {
        return message;
    }

    @Override
    public String toString() {
        return "Delivery[" + locked.messageId() + " " + message.operation().wire() + " " + message.shardId() + "]";
    }
}
