package com.castiel.sync.conflict;

import com.castiel.sync.model.FieldConflict;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of a three-way field merge.
 *
 * @param merged the agreed values of every field (for {@code manual} conflicts: Castiel's value,
 *     so nothing is overwritten in Castiel)
 * @param castielChanges fields whose merged value differs from Castiel's current value (to apply
 *     to the shard)
 * @param externalChanges fields whose merged value differs from the external value (to write
 *     back); never includes unresolved conflicts
 * @param conflicts fields changed on both sides to different values, with how they stood
 * @param unresolved conflicts left for manual resolution (non-empty only under {@code manual})
 */
public record MergeResult(
        ObjectNode merged,
        List<String> castielChanges,
        List<String> externalChanges,
        List<FieldConflict> conflicts,
        List<FieldConflict> unresolved) {

    public MergeResult {
        castielChanges = List.copyOf(castielChanges);
        externalChanges = List.copyOf(externalChanges);
        conflicts = List.copyOf(conflicts);
        unresolved = List.copyOf(unresolved);
    }

    public boolean hasUnresolved() {
        return !unresolved.isEmpty();
    }
}
