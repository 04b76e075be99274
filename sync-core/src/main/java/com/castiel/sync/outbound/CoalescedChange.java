package com.castiel.sync.outbound;

import com.castiel.sync.model.Operation;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.WriteBackMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Consecutive write-back messages of one session for one shard and entity, merged into one
 * change: updates merge their changed fields, a create followed by updates stays a create, and a
 * delete ends the change (a create then a delete writes nothing when the create never reached the
 * provider). A message after a delete is not coalesced: it starts a later change.
 *
 * <p>The processor writes the shard's current state, so coalescing loses nothing: the messages
 * only say that, and which fields, changed.
 */
final class CoalescedChange {

    private final ShardId shardId;
    private final String entity;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Set<String> changedFields = new LinkedHashSet<>();
    private Operation operation;
    private boolean allFields;
    private String externalId;

    CoalescedChange(Delivery first) {
        WriteBackMessage m = first.message();
        this.shardId = m.shardId();
        this.entity = m.externalEntity();
        this.operation = m.operation();
        absorb(first);
    }

    /** The key messages are coalesced by: shard and entity. */
    static String keyOf(WriteBackMessage m) {
        return m.shardId().value() + "\u0000" + Objects.requireNonNullElse(m.externalEntity(), "");
    }

    /**
     * Adds a later message of the same shard and entity.
     *
     * @return false when it cannot be merged (this change ends in a delete); nothing is added then
     */
    boolean add(Delivery d) {
        if (operation == Operation.DELETE) {
            return false;
        }
        Operation next = d.message().operation();
        if (next == Operation.DELETE) {
            operation = Operation.DELETE;
        } else if (next == Operation.CREATE || operation == Operation.CREATE) {
            operation = Operation.CREATE;
        }
        absorb(d);
        return true;
    }

    private void absorb(Delivery d) {
        deliveries.add(d);
        WriteBackMessage m = d.message();
        if (m.changedFields().isEmpty()) {
            allFields = true;
        } else {
            changedFields.addAll(m.changedFields());
        }
        if (m.externalId() != null) {
            externalId = m.externalId();
        }
    }

    ShardId shardId() {
        return shardId;
    }

    /** The entity the messages name, or {@code null} for messages that name none. */
    String entity() {
        return entity;
    }

    Operation operation() {
        return operation;
    }

    /** Shard fields to write; empty means every outbound field. */
    Set<String> changedFields() {
        return allFields ? Set.of() : Set.copyOf(changedFields);
    }

    /** The latest external id a message carried, or {@code null}. */
    String externalId() {
        return externalId;
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The first message, for correlation ids in events and logs. */
    WriteBackMessage first() {
        return deliveries.get(0).message();
    }

    @Override
    public String toString() {
        return "CoalescedChange[" + operation.wire() + " " + shardId + (entity == null ? "" : " " + entity) + ", " + deliveries.size()
                + " messages]";
    }
}
