package com.castiel.sync.conflict;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.FieldConflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Field-level three-way merge between Castiel and an external system, used by both inbound sync
 * and write-back.
 *
 * <p>For every field: if only one side moved away from the base, that side's value wins; if
 * both moved to the same value they agree; if both moved to different values the field is a
 * conflict, resolved by the integration's policy. Without a base (never synced), every differing
 * field counts as changed on both sides.
 *
 * <p>{@code newest_wins} compares the two sides' record-level modification times (the field
 * level is not timestamped by providers); a tie or an unknown time goes to the external side,
 * the system of record for the data it owns.
 */
public final class ThreeWayMerge {

    private ThreeWayMerge() {
    }

    /**
     * @param fields the fields to merge (shard field paths)
     * @param base values at the last sync, or {@code null} when never synced
     * @param castiel current Castiel values
     * @param external current external values, mapped to shard fields
     * @param policy conflict policy
     * @param castielModifiedAt when the shard last changed
     * @param externalModifiedAt when the external record last changed
     */
    public static MergeResult merge(Collection<String> fields, ObjectNode base, ObjectNode castiel, ObjectNode external,
                                    ConflictResolution policy, Instant castielModifiedAt, Instant externalModifiedAt) {
        Objects.requireNonNull(policy, "policy");
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        List<String> castielChanges = new ArrayList<>();
        List<String> externalChanges = new ArrayList<>();
        List<FieldConflict> conflicts = new ArrayList<>();
        List<FieldConflict> unresolved = new ArrayList<>();

        for (String field : fields) {
            JsonNode b = base == null ? null : base.get(field);
            JsonNode c = castiel.get(field);
            JsonNode e = external.get(field);
            boolean castielMoved = base == null || !JsonValues.same(b, c);
            boolean externalMoved = base == null || !JsonValues.same(b, e);
            JsonNode chosen;
            if (JsonValues.same(c, e)) {
                chosen = c;
            } else if (castielMoved && !externalMoved) {
                chosen = c;
            } else if (externalMoved && !castielMoved) {
                chosen = e;
            } else {
                FieldConflict conflict = new FieldConflict(field, b, c, e);
                conflicts.add(conflict);
                chosen = switch (policy) {
                    case EXTERNAL_WINS -> e;
                    case CASTIEL_WINS -> c;
                    case NEWEST_WINS -> castielNewer(castielModifiedAt, externalModifiedAt) ? c : e;
                    case MANUAL -> {
                        unresolved.add(conflict);
                        yield c;
                    }
                };
            }
            merged.set(field, chosen == null ? JsonNodeFactory.instance.nullNode() : chosen.deepCopy());
            if (!JsonValues.same(chosen, c)) {
                castielChanges.add(field);
            }
            boolean parked = policy == ConflictResolution.MANUAL && unresolved.stream().anyMatch(u -> u.field().equals(field));
            if (!parked && !JsonValues.same(chosen, e)) {
                externalChanges.add(field);
            }
        }
        return new MergeResult(merged, castielChanges, externalChanges, conflicts, unresolved);
    }

    private static boolean castielNewer(Instant castiel, Instant external) {
        return castiel != null && external != null && castiel.isAfter(external);
    }
}
