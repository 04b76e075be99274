package com.castiel.sync.outbound;

import com.castiel.sync.conflict.JsonValues;
import com.castiel.sync.conflict.MergeResult;
import com.castiel.sync.conflict.ThreeWayMerge;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldConflict;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.transform.MappedValues;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what write-back does for one shard's (coalesced) change of one relationship: which
 * fields to send, under which precondition, what the shard takes from the external side, and what
 * the relationship remembers afterwards. Pure: no I/O; the processor reads and writes.
 *
 * <h2>Fields</h2>
 * Only outbound-mapped shard fields the mapper can write are sent, and of those only the changed
 * ones ({@code changedFields} when the message names them). Fields mapped both ways are merged
 * three-way; out-only fields are owned by Castiel (the engine never reads them back, so they
 * have no base and no external value) and are sent whenever they changed; in-only fields are
 * never sent, but an external change to them is taken into the shard when the record was read.
 *
 * <h2>Conflicts</h2>
 * With the record's field values (read before writing), {@link ThreeWayMerge} against the
 * relationship's base decides field by field and the integration's policy settles fields changed
 * on both sides; {@code manual} parks them, writing and taking only the rest. Without field values
 * (the adapter cannot read by id, or the provider returned none), the seed's record-level
 * timestamp check ({@link RecordLevelConflict}) or a failed precondition decides whether the
 * external side moved, and the policy then settles the record as a whole: {@code castiel_wins}
 * (and {@code newest_wins} with the newer shard) writes unconditionally, {@code external_wins}
 * writes nothing and leaves the external values to the next inbound read, {@code manual} parks the
 * changed fields with unknown external values. A relationship whose direction is {@code outbound}
 * belongs to Castiel: it is never read, merged or conditioned, only written.
 *
 * <h2>Echo suppression</h2>
 * The resolution predicts the inbound-mapped values of the record after the write: the values
 * read (or, unread, the base) overlaid with the inbound mapping of exactly the values sent. Its
 * hash is what the next poll or webhook computes for the record when nobody else changed it, so
 * that read counts it {@code unchanged}. In-only fields are predicted from the read or the base:
 * if they changed meanwhile in the provider, the hashes differ and the next read applies the
 * change, which is the right outcome. For a create, fields not sent are predicted absent (null or
 * the mapping's default); providers that fill them in (owners, computed fields) cost one inbound
 * update after the create, never a write.
 *
 * <p>Immutable and thread-safe; one per integration and entity mapping.
 */
final class WriteBackPlanner {

    private final Integration integration;
    private final EntityMapping mapping;
    private final RecordMapper mapper;
    private final Set<Capability> capabilities;
    private final Set<String> inboundFields;
    private final Set<String> topLevelInboundFields;

    WriteBackPlanner(Integration integration, EntityMapping mapping, RecordMapper mapper, Set<Capability> capabilities) {
        this.integration = Objects.requireNonNull(integration, "integration");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.capabilities = Set.copyOf(capabilities);
        this.inboundFields = Set.copyOf(mapper.inboundShardFields());
        this.topLevelInboundFields = mapper.inboundTopLevelFields();
    }

    EntityMapping mapping() {
        return mapping;
    }

    RecordMapper mapper() {
        return mapper;
    }

    /**
     * Whether an update is read before it is written: the policy compares both sides unless
     * Castiel always wins; a failed precondition always re-reads. Needs {@link Capability#FETCH_BY_IDS}.
     * An {@code outbound} link is never read: Castiel owns that record.
     */
    boolean readsBeforeUpdate(ExternalRelationship rel, boolean preconditionFailed) {
        if (!capabilities.contains(Capability.FETCH_BY_IDS) || ownedByCastiel(rel)) {
            return false;
        }
        return preconditionFailed || policy() != ConflictResolution.CASTIEL_WINS;
    }

    /** An {@code outbound} link: changes flow only from Castiel, so the provider's side is never merged back. */
    private static boolean ownedByCastiel(ExternalRelationship rel) {
        return rel.syncDirection() == SyncDirection.OUTBOUND;
    }

    /**
     * Plans a create: every non-null outbound field is sent (null fields are left out so provider
     * defaults apply). With an {@code externalIdField} on the mapping and an adapter that upserts,
     * the create is an upsert keyed by the shard id, so a create repeated after a crash finds the
     * record made the first time instead of duplicating it.
     */
    RecordPlan planCreate(Shard shard) {
        ObjectNode values = mapper.extractOutbound(shard.structuredData());
        values.properties().removeIf(e -> e.getValue().isNull());
        ObjectNode wire;
        try {
            wire = mapper.toExternal(values, null);
        } catch (SyncException.Validation e) {
            return new RecordPlan.Fail(e);
        }
        WriteRequest request = mapping.externalIdField() != null && capabilities.contains(Capability.UPSERT)
                ? WriteRequest.upsert(mapping.externalEntity(), mapping.externalIdField(), shard.id().value(), wire)
                : WriteRequest.create(mapping.externalEntity(), wire);
        ObjectNode predicted;
        String hash;
        try {
            MappedValues mv = mapper.toShard(ExternalRecord.of(mapping.externalEntity(), "created", wire, null, null));
            predicted = mv.values();
            hash = mv.hash();
        } catch (SyncException.Validation e) {
            // the next inbound read will fail this record too; remember what was sent, predict nothing
            predicted = presentOrEmpty(wire);
            hash = null;
        }
        return new RecordPlan.Write(request, new Resolution(null, predicted, hash, true, null, false, List.of(), List.of()));
    }

    /** Plans the delete of a linked record. */
    RecordPlan planDelete(ExternalRelationship rel, String externalId) {
        if (externalId == null) {
            return new RecordPlan.Skip("the record was never created in " + integration.provider());
        }
        ObjectNode values = rel == null ? null : rel.lastSyncedValues();
        String hash = rel == null ? null : rel.lastSyncedHash();
        return new RecordPlan.Write(WriteRequest.delete(mapping.externalEntity(), externalId),
                new Resolution(null, values, hash, true, null, false, List.of(), List.of()));
    }

    /**
     * Plans an update of the linked record.
     *
     * @param changedFields shard fields that changed; empty means every outbound field
     * @param external what was read, if anything
     * @param preconditionFailed true when an earlier conditional write of this change was refused
     *     because the record changed (the external side is then known to have moved)
     */
    RecordPlan planUpdate(Shard shard, ExternalRelationship rel, Set<String> changedFields, ExternalState external, boolean preconditionFailed) {
        if (external instanceof ExternalState.Gone) {
            return new RecordPlan.Fail(new SyncException.NotFound(mapping.externalEntity() + " " + rel.externalId() + " no longer exists in "
                    + integration.provider() + "; the change cannot be written back", SyncException.Details.NONE));
        }
        ObjectNode data = shard.structuredData();
        ObjectNode castielIn = mapper.extract(data);
        ObjectNode castielOut = mapper.extractOutbound(data);
        List<String> candidates = mapper.outboundShardFields().stream()
                .filter(f -> changedFields.isEmpty() || changedFields.contains(f)).toList();
        ExternalRecord read = external instanceof ExternalState.Read r && !ownedByCastiel(rel) ? r.record() : null;
        MappedValues externalValues = read == null ? null : comparableValues(read);
        try {
            return externalValues != null
                    ? fieldLevel(shard, rel, candidates, castielIn, castielOut, read, externalValues)
                    : recordLevel(shard, rel, candidates, castielIn, castielOut, read, preconditionFailed);
        } catch (SyncException.Validation e) {
            return new RecordPlan.Fail(e);
        }
    }

    private RecordPlan fieldLevel(Shard shard, ExternalRelationship rel, List<String> candidates, ObjectNode castielIn, ObjectNode castielOut,
                                  ExternalRecord read, MappedValues external) {
        MergeResult m = ThreeWayMerge.merge(mapper.inboundShardFields(), rel.lastSyncedValues(), castielIn, external.values(), policy(),
                shard.updatedAt(), read.modifiedAt());
        Set<String> toExternal = new HashSet<>(m.externalChanges());
        ObjectNode send = SyncJson.object();
        for (String f : candidates) {
            if (!inboundFields.contains(f)) {
                send.set(f, castielOut.get(f));
            } else if (toExternal.contains(f)) {
                send.set(f, m.merged().get(f));
            }
        }
        ObjectNode castielChanges = SyncJson.object();
        for (String f : m.castielChanges()) {
            castielChanges.set(f, m.merged().get(f));
        }
        ObjectNode wire = mapper.toExternal(send, null);
        ObjectNode predicted = external.values().deepCopy();
        ObjectNode present = present(wire);
        String hash = null;
        if (present != null) {
            predicted.setAll(present);
            hash = wire.isEmpty() ? external.hash() : RecordMapper.hash(predicted);
        }
        ObjectNode synced = predicted.deepCopy();
        for (FieldConflict parked : m.unresolved()) {
            synced.set(parked.field(), parked.baseValue() == null ? NullNode.instance : parked.baseValue().deepCopy());
        }
        Resolution resolution = new Resolution(castielChanges, synced, hash, true, read, true, m.conflicts(), m.unresolved());
        if (wire.isEmpty()) {
            return new RecordPlan.Settle(resolution);
        }
        WriteRequest request = WriteRequest.update(mapping.externalEntity(), rel.externalId(), wire);
        return new RecordPlan.Write(conditional(request, read.version(), read.modifiedAt()), resolution);
    }

    private RecordPlan recordLevel(Shard shard, ExternalRelationship rel, List<String> candidates, ObjectNode castielIn, ObjectNode castielOut,
                                   ExternalRecord read, boolean preconditionFailed) {
        ObjectNode base = rel.lastSyncedValues();
        ObjectNode send = SyncJson.object();
        for (String f : candidates) {
            boolean moved = !inboundFields.contains(f) || base == null || !JsonValues.same(base.get(f), castielIn.get(f));
            if (moved) {
                send.set(f, castielOut.get(f));
            }
        }
        Instant externalModifiedAt = read == null ? null : read.modifiedAt();
        boolean castielMoved = RecordLevelConflict.castielMoved(shard.updatedAt(), rel.lastSyncedAt());
        boolean externalMoved = preconditionFailed || RecordLevelConflict.externalMoved(externalModifiedAt, rel.lastSyncedAt());
        boolean conflict = !send.isEmpty() && castielMoved && externalMoved && !ownedByCastiel(rel);
        List<FieldConflict> conflicts = new ArrayList<>();
        List<FieldConflict> parked = List.of();
        boolean unconditional = false;
        boolean forgetHash = false;
        if (conflict) {
            for (Map.Entry<String, JsonNode> e : send.properties()) {
                conflicts.add(new FieldConflict(e.getKey(), base == null ? null : base.get(e.getKey()), e.getValue(), null));
            }
            switch (recordWinner(shard, externalModifiedAt)) {
                case CASTIEL -> unconditional = true;
                case EXTERNAL -> {
                    // the external values are unknown here: leave them to the next inbound read, which
                    // must merge rather than skip, so the remembered hash is dropped
                    send.removeAll();
                    forgetHash = true;
                }
                case PARK -> {
                    send.removeAll();
                    parked = conflicts;
                }
            }
        }
        ObjectNode wire = mapper.toExternal(send, null);
        ObjectNode predicted = base == null ? SyncJson.object() : base.deepCopy();
        String hash;
        if (wire.isEmpty()) {
            hash = forgetHash ? null : rel.lastSyncedHash();
        } else {
            ObjectNode present = present(wire);
            boolean complete = present != null && inboundFields.stream().allMatch(predicted::has);
            if (present != null) {
                predicted.setAll(present);
            }
            hash = complete ? RecordMapper.hash(predicted) : null;
        }
        Resolution resolution = new Resolution(null, predicted, hash, !wire.isEmpty(), read, false, conflicts, parked);
        if (wire.isEmpty()) {
            return new RecordPlan.Settle(resolution);
        }
        WriteRequest request = WriteRequest.update(mapping.externalEntity(), rel.externalId(), wire);
        // Under castiel_wins a failed precondition would only lead back to the same write, so it is
        // sent unconditionally: updates then batch (Salesforce evaluates no conditional header
        // inside sObject Collections). Only the changed fields are sent, so external changes to
        // other fields survive and arrive with the next poll.
        if (!unconditional && !ownedByCastiel(rel) && policy() != ConflictResolution.CASTIEL_WINS) {
            request = read != null ? conditional(request, read.version(), read.modifiedAt())
                    : conditional(request, rel.lastSeenVersion(), rel.lastSeenModifiedAt());
        }
        return new RecordPlan.Write(request, resolution);
    }

    private enum Winner { CASTIEL, EXTERNAL, PARK }

    private Winner recordWinner(Shard shard, Instant externalModifiedAt) {
        return switch (policy()) {
            case CASTIEL_WINS -> Winner.CASTIEL;
            case EXTERNAL_WINS -> Winner.EXTERNAL;
            // as in ThreeWayMerge: a tie or an unknown time goes to the external side
            case NEWEST_WINS -> shard.updatedAt() != null && externalModifiedAt != null && shard.updatedAt().isAfter(externalModifiedAt)
                    ? Winner.CASTIEL : Winner.EXTERNAL;
            case MANUAL -> Winner.PARK;
        };
    }

    private WriteRequest conditional(WriteRequest request, String version, Instant modifiedAt) {
        if (!capabilities.contains(Capability.CONDITIONAL_WRITE) || (version == null && modifiedAt == null)) {
            return request;
        }
        return request.withPreconditions(version, modifiedAt);
    }

    /**
     * The record's inbound-mapped values when it carries field values to compare: {@code null}
     * when it has none of the mapped fields (a provider answering with metadata only) or when its
     * values cannot be mapped, in which case the record-level check decides.
     */
    private MappedValues comparableValues(ExternalRecord read) {
        if (read.deleted()) {
            return null;
        }
        boolean any = topLevelInboundFields.stream().anyMatch(f -> read.fields().has(f));
        if (!any) {
            return null;
        }
        try {
            return mapper.toShard(read);
        } catch (SyncException.Validation e) {
            return null;
        }
    }

    /** The inbound mapping of the fields sent, or {@code null} when they would fail an inbound read. */
    private ObjectNode present(ObjectNode wire) {
        try {
            return mapper.toShardPresent(wire);
        } catch (SyncException.Validation e) {
            return null;
        }
    }

    private ObjectNode presentOrEmpty(ObjectNode wire) {
        ObjectNode p = present(wire);
        return p == null ? SyncJson.object() : p;
    }

    private ConflictResolution policy() {
        return integration.structuredData().conflictResolution();
    }
}
