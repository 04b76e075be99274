package com.castiel.sync.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** How one field of a parked conflict is resolved through the {@link ConflictDesk}. */
public sealed interface FieldChoice {

    /** Keep the shard's current value and write it to the provider. */
    static FieldChoice keepCastiel() {
        return new KeepCastiel();
    }

    /** Take the provider's value into the shard; nothing is written back. */
    static FieldChoice takeExternal() {
        return new TakeExternal();
    }

    /** Set a third value (in the shard's vocabulary) in the shard and write it to the provider. */
    static FieldChoice use(JsonNode value) {
        return new UseValue(value);
    }

    record KeepCastiel() implements FieldChoice {
    }

    record TakeExternal() implements FieldChoice {
    }

    /** @param value the value for the shard field; JSON null clears it */
    record UseValue(JsonNode value) implements FieldChoice {
        public UseValue {
            Objects.requireNonNull(value, "value (use a JSON null node to clear the field)");
        }
    }
}
