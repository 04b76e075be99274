package com.castiel.sync.outbound;

import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldConflict;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.PendingConflict;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The core API for conflicts parked by the {@code manual} policy: list them, and resolve one
 * field by field (keep Castiel's value, take the external value, or use a given value).
 *
 * <p>Resolving acknowledges the external state the conflict was found against: each resolved
 * field's base becomes the external value seen, so the next write-back sees Castiel as the only
 * side that moved where Castiel's (or a given) value was chosen, and the relationship's external
 * version becomes the one seen, so a record changed again since then raises a fresh conflict
 * instead of being overwritten. The shard takes the chosen values in one etag-checked write, the
 * conflict is cleared, and a write-back of the fields to be written is enqueued (the relationship
 * is {@code pending} until it is processed).
 *
 * <p>Taking the external value of a conflict found without field values (its external value is
 * unknown) keeps Castiel's value for now, marks it as not changed by Castiel and drops the
 * remembered content hash, so the next inbound read brings the external value in.
 *
 * <p>Thread-safe.
 */
public final class ConflictDesk {

    private final IntegrationStore integrations;
    private final ShardStore shards;
    private final WriteBackTrigger trigger;
    private final Clock clock;

    public ConflictDesk(IntegrationStore integrations, ShardStore shards, WriteBackTrigger trigger, Clock clock) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The parked conflicts of an integration, entity by entity in mapping order, shards by id.
     *
     * @param limit most conflicts returned, at least 1
     * @throws NoSuchElementException when the integration does not exist
     */
    public List<ParkedConflict> list(TenantId tenant, IntegrationId integrationId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        Integration integration = integration(tenant, integrationId);
        List<ParkedConflict> found = new ArrayList<>();
        for (EntityMapping mapping : integration.structuredData().entityMappings()) {
            found.addAll(list(tenant, integrationId, mapping.externalEntity(), null, limit - found.size()));
            if (found.size() >= limit) {
                break;
            }
        }
        return List.copyOf(found);
    }

    /**
     * One page of the parked conflicts of one entity of an integration, by shard id.
     *
     * @param afterShardId exclusive start, {@code null} for the first page
     */
    public List<ParkedConflict> list(TenantId tenant, IntegrationId integrationId, String externalEntity, ShardId afterShardId, int limit) {
        List<ParkedConflict> page = new ArrayList<>();
        for (Shard s : shards.listInConflict(tenant, integrationId, externalEntity, afterShardId, limit)) {
            parked(s, integrationId).filter(p -> p.externalEntity().equals(externalEntity)).ifPresent(page::add);
        }
        return List.copyOf(page);
    }

    /** The parked conflict of one shard with an integration, if any. */
    public Optional<ParkedConflict> get(TenantId tenant, IntegrationId integrationId, ShardId shardId) {
        return shards.get(tenant, shardId).flatMap(s -> parked(s, integrationId));
    }

    /**
     * Resolves a parked conflict.
     *
     * @param ifMatch the shard etag the resolution was made against ({@link ParkedConflict#shardEtag()}),
     *     or {@code null} to resolve whatever is stored
     * @param choices one choice per conflicting field (shard field path), no more, no less
     * @param actor the user resolving it
     * @return the stored shard and the write-back sent (none when only external values were taken)
     * @throws NoSuchElementException when the integration or shard does not exist, or the shard
     *     has no parked conflict with the integration
     * @throws IllegalArgumentException naming the fields when a choice is missing or names a
     *     field that is not in conflict
     * @throws StoreConflictException when the shard changed since {@code ifMatch} or concurrently;
     *     reload the conflict and resolve again
     */
    public ShardEdit resolve(TenantId tenant, IntegrationId integrationId, ShardId shardId, String ifMatch, Map<String, FieldChoice> choices,
                             String actor) {
        Objects.requireNonNull(choices, "choices");
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor must name the user resolving the conflict");
        }
        Integration integration = integration(tenant, integrationId);
        Shard shard = shards.get(tenant, shardId)
                .orElseThrow(() -> new NoSuchElementException("shard " + shardId + " of tenant " + tenant + " does not exist"));
        if (ifMatch != null && !ifMatch.equals(shard.etag())) {
            throw new StoreConflictException("shard " + shardId + " has changed since the conflict was shown (etag " + shard.etag()
                    + ", expected " + ifMatch + ")", List.of(shardId.value()));
        }
        ExternalRelationship rel = inConflict(shard, integrationId)
                .orElseThrow(() -> new NoSuchElementException("shard " + shardId + " has no parked conflict with integration " + integrationId));
        PendingConflict conflict = rel.conflict();
        requireChoices(conflict, choices);
        EntityMapping mapping = integration.mappingForEntity(rel.externalEntity()).orElseThrow(() -> new SyncException.Configuration(
                "integration " + integrationId + " no longer maps " + rel.externalEntity() + "; the conflict cannot be resolved"));
        RecordMapper mapper = new RecordMapper(mapping);

        ObjectNode castielNow = mapper.extract(shard.structuredData());
        ObjectNode base = rel.lastSyncedValues() == null ? SyncJson.object() : rel.lastSyncedValues().deepCopy();
        ObjectNode dataChanges = SyncJson.object();
        Set<String> toWrite = new LinkedHashSet<>();
        boolean forgetHash = false;
        for (FieldConflict fc : conflict.fields()) {
            String f = fc.field();
            JsonNode external = fc.externalValue();
            switch (choices.get(f)) {
                case FieldChoice.KeepCastiel keep -> {
                    base.set(f, orNull(external));
                    toWrite.add(f);
                }
                case FieldChoice.TakeExternal take -> {
                    if (external != null) {
                        dataChanges.set(f, external.deepCopy());
                        base.set(f, external.deepCopy());
                    } else {
                        base.set(f, orNull(castielNow.get(f)));
                        forgetHash = true;
                    }
                }
                case FieldChoice.UseValue use -> {
                    dataChanges.set(f, use.value().deepCopy());
                    base.set(f, orNull(external));
                    toWrite.add(f);
                }
            }
        }
        toWrite.retainAll(mapper.outboundShardFields());
        boolean writes = !toWrite.isEmpty() && rel.writesBack() && integration.writeBackEnabled();
        Instant now = clock.instant();
        ExternalRelationship resolved = new ExternalRelationship(rel.system(), rel.integrationId(), rel.externalEntity(), rel.externalId(),
                rel.syncDirection(), conflict.detectedAt(), forgetHash ? null : rel.lastSyncedHash(),
                conflict.externalVersion(), conflict.externalVersion() == null ? null : rel.lastSeenModifiedAt(),
                writes ? SyncStatus.PENDING : SyncStatus.SYNCED, null, base, null);
        Shard updated = shard.withRelationship(resolved);
        if (!dataChanges.isEmpty()) {
            updated = updated.withData(mapper.applyTo(shard.structuredData(), dataChanges), now).changedBy(actor, now);
        }
        Shard stored = shards.write(tenant, List.of(new ShardWrite.Replace(updated))).get(0);
        List<WriteBackMessage> sent = List.of();
        if (writes) {
            ExternalRelationship storedRel = inRelationship(stored, resolved);
            sent = trigger.requestWriteBack(stored, storedRel, List.copyOf(toWrite), actor, "resolve").map(List::of).orElse(List.of());
        }
        return new ShardEdit(stored, sent);
    }

    private static void requireChoices(PendingConflict conflict, Map<String, FieldChoice> choices) {
        Set<String> fields = new TreeSet<>();
        conflict.fields().forEach(f -> fields.add(f.field()));
        Set<String> unknown = new TreeSet<>(choices.keySet());
        unknown.removeAll(fields);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("fields " + unknown + " are not in conflict; the conflicting fields are " + fields);
        }
        Set<String> missing = new TreeSet<>(fields);
        missing.removeAll(choices.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no choice for conflicting fields " + missing + "; every one of " + fields + " needs one");
        }
        choices.forEach((field, choice) -> Objects.requireNonNull(choice, "choice for field " + field));
    }

    private static ExternalRelationship inRelationship(Shard stored, ExternalRelationship resolved) {
        return stored.relationship(resolved.integrationId(), resolved.externalEntity(), resolved.externalId()).orElse(resolved);
    }

    private Integration integration(TenantId tenant, IntegrationId id) {
        return integrations.get(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(id, "integration"))
                .orElseThrow(() -> new NoSuchElementException("integration " + id + " of tenant " + tenant + " does not exist"));
    }

    private static Optional<ExternalRelationship> inConflict(Shard shard, IntegrationId integrationId) {
        return shard.externalRelationships().stream()
                .filter(r -> r.integrationId().equals(integrationId) && r.syncStatus() == SyncStatus.CONFLICT && r.conflict() != null)
                .findFirst();
    }

    private static Optional<ParkedConflict> parked(Shard shard, IntegrationId integrationId) {
        return inConflict(shard, integrationId).map(r -> new ParkedConflict(shard.id(), shard.shardTypeId(), integrationId, r.externalEntity(),
                r.externalId(), r.conflict(), shard.etag()));
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? NullNode.instance : value.deepCopy();
    }
}
