package com.castiel.sync.inbound;

import com.castiel.sync.conflict.MergeResult;
import com.castiel.sync.conflict.ThreeWayMerge;
import com.castiel.sync.model.DeleteBehavior;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.PendingConflict;
import com.castiel.sync.model.RecordError;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.transform.MappedValues;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies one page of external records (live records and tombstones) of one entity to the shard
 * store: one batched lookup, then one batched write of only the shards that change.
 *
 * <p>Per record: a new record creates a shard (when the mapping allows); a record whose mapped
 * values hash to the relationship's last synced hash is unchanged and its values are not written
 * (when its stamp moved, the relationship alone records the newer stamp for the merge guard); a record
 * older than the version already applied is ignored (merge guard: webhooks and polls race);
 * otherwise the values are merged into the shard — a plain overwrite for inbound-only links, a
 * field-level three-way merge for bidirectional ones so Castiel edits awaiting write-back are
 * not reverted. A record that cannot be mapped fails alone.
 *
 * <p>Per tombstone: the mapping's delete behaviour, unless the tombstone is older than the version
 * already applied (the same merge guard: a late delete notice of a record restored since). Shards
 * linked {@code outbound} belong to Castiel: neither external changes nor external deletions
 * (tombstones or the sweep) touch them.
 */
final class PageApplier {

    private final ShardStore shards;
    private final Integration integration;
    private final EntityMapping mapping;
    private final RecordMapper mapper;
    private final Clock clock;
    private final int conflictRetries;
    private final String origin;
    private final List<String> mappedFields;

    PageApplier(ShardStore shards, Integration integration, EntityMapping mapping, RecordMapper mapper, Clock clock, int conflictRetries) {
        this.shards = shards;
        this.integration = integration;
        this.mapping = mapping;
        this.mapper = mapper;
        this.clock = clock;
        this.conflictRetries = conflictRetries;
        this.origin = Shard.ENGINE_ORIGIN_PREFIX + integration.id();
        this.mappedFields = mapping.fieldMappings().stream().filter(FieldMapping::inbound).map(FieldMapping::shardField).distinct().toList();
    }

    /** Applies the records; counts go to {@code tally}. Throws only for failures of the whole page. */
    void apply(List<ExternalRecord> page, RunTally tally) {
        if (page.isEmpty()) {
            return;
        }
        // A record can appear twice in one page when it changed mid-scan; the later copy wins.
        Map<String, ExternalRecord> latest = new LinkedHashMap<>();
        for (ExternalRecord r : page) {
            latest.merge(r.id(), r, (a, b) -> newer(a, b) ? a : b);
        }
        for (int attempt = 0; ; attempt++) {
            PagePlan plan = plan(latest.values());
            try {
                if (!plan.writes.isEmpty()) {
                    shards.write(integration.tenantId(), plan.writes);
                }
                plan.commitTo(tally);
                return;
            } catch (StoreConflictException e) {
                if (attempt >= conflictRetries) {
                    throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE,
                            "shards kept changing under the sync (" + e.getMessage() + "); the job will be retried",
                            null, SyncException.Details.NONE, e);
                }
            }
        }
    }

    private static boolean newer(ExternalRecord a, ExternalRecord b) {
        if (a.modifiedAt() == null || b.modifiedAt() == null) {
            return false;
        }
        return a.modifiedAt().isAfter(b.modifiedAt());
    }

    private PagePlan plan(Collection<ExternalRecord> records) {
        List<String> ids = records.stream().map(ExternalRecord::id).toList();
        Map<String, Shard> existing = shards.findByExternalIds(integration.tenantId(), integration.id(), mapping.externalEntity(), ids);
        Instant now = clock.instant();
        PagePlan plan = new PagePlan();
        for (ExternalRecord record : records) {
            Shard shard = existing.get(record.id());
            if (record.deleted()) {
                planDelete(record, shard, true, now, plan);
            } else {
                planUpsert(record, shard, now, plan);
            }
        }
        return plan;
    }

    private void planUpsert(ExternalRecord record, Shard linked, Instant now, PagePlan plan) {
        Shard shard = linked;
        MappedValues mapped;
        try {
            mapped = mapper.toShard(record);
        } catch (SyncException.Validation e) {
            plan.failures.add(new RecordError(mapping.externalEntity(), record.id(), e.field(), e.getMessage()));
            if (linked != null) {
                linked.relationship(integration.id(), mapping.externalEntity(), record.id())
                        .filter(r -> r.syncStatus() != SyncStatus.FAILED || !e.getMessage().equals(r.error()))
                        .ifPresent(r -> plan.writes.add(new ShardWrite.Replace(linked.withRelationship(r.failed(e.getMessage())))));
            }
            return;
        }
        if (shard == null) {
            shard = adoptPendingCreate(record);
        }
        if (shard == null) {
            if (!mapping.createsNew()) {
                plan.skipped++;
                return;
            }
            ExternalRelationship rel = ExternalRelationship
                    .link(integration.provider(), integration.id(), mapping.externalEntity(), record.id(), linkDirection())
                    .synced(now, mapped.values(), mapped.hash(), record.version(), record.modifiedAt());
            ObjectNode data = mapper.applyTo(SyncJson.object(), mapped.values());
            Shard created = new Shard(ShardId.of(Ids.timeOrdered(now)), integration.tenantId(), mapping.shardTypeId(), data,
                    List.of(rel), now, now, null, null, origin);
            plan.writes.add(new ShardWrite.Insert(created));
            plan.created++;
            return;
        }
        ExternalRelationship rel = shard.relationship(integration.id(), mapping.externalEntity(), record.id()).orElseThrow();
        if (rel.syncDirection() == SyncDirection.OUTBOUND) {
            // Castiel is the only source for outbound links: external changes are not applied.
            plan.skipped++;
            return;
        }
        if (rel.lastSeenModifiedAt() != null && record.modifiedAt() != null && record.modifiedAt().isBefore(rel.lastSeenModifiedAt())) {
            plan.unchanged++;
            return;
        }
        if (mapped.hash().equals(rel.lastSyncedHash()) && !shard.isDeleted() && rel.syncStatus() != SyncStatus.FAILED) {
            plan.unchanged++;
            if (record.modifiedAt() != null && (rel.lastSeenModifiedAt() == null || record.modifiedAt().isAfter(rel.lastSeenModifiedAt()))) {
                // Nothing to apply, but the merge guard must learn that this version was seen: otherwise a late
                // copy of an intermediate version (values A, then B, then A again) would pass it and stick.
                // Only a record whose stamp moved costs this write; overlap re-reads keep their stamp.
                plan.writes.add(new ShardWrite.Replace(shard.withRelationship(rel.seenAt(record.version(), record.modifiedAt()))));
            }
            return;
        }
        ObjectNode merged;
        ObjectNode base = mapped.values().deepCopy();
        PendingConflict pending = null;
        boolean conflicted = false;
        if (rel.writesBack() && integration.writeBackEnabled()) {
            ObjectNode castiel = mapper.extract(shard.structuredData());
            MergeResult m = ThreeWayMerge.merge(mappedFields, rel.lastSyncedValues(), castiel, mapped.values(),
                    integration.structuredData().conflictResolution(), shard.updatedAt(), record.modifiedAt());
            merged = m.merged();
            conflicted = !m.conflicts().isEmpty();
            if (m.hasUnresolved()) {
                // Keep the old base for parked fields so the conflict stays visible until resolved.
                m.unresolved().forEach(c -> base.set(c.field(), c.baseValue() == null ? SyncJson.object().nullNode() : c.baseValue()));
                pending = new PendingConflict(m.unresolved(), record.version(), now);
            }
        } else {
            merged = mapped.values();
        }
        ObjectNode data = mapper.applyTo(shard.structuredData(), merged);
        ExternalRelationship next = rel.synced(now, base, mapped.hash(), record.version(), record.modifiedAt());
        if (pending != null) {
            next = next.inConflict(pending);
        } else if (rel.syncStatus() == SyncStatus.CONFLICT && rel.conflict() != null) {
            next = next.inConflict(rel.conflict());
        }
        Shard updated = shard.withRelationship(next);
        if (!data.equals(shard.structuredData())) {
            updated = updated.withData(data, now).changedBy(origin, now);
        }
        if (shard.isDeleted()) {
            updated = updated.restored(now).changedBy(origin, now);
        }
        plan.writes.add(new ShardWrite.Replace(updated));
        if (conflicted) {
            plan.conflicts++;
        }
        plan.updated++;
    }

    /**
     * @param guarded whether the merge guard applies: a tombstone from a feed or webhook older than
     *     the version already applied is stale (the record was restored since); the sweep's
     *     verdict comes from a complete scan and is not guarded
     */
    /**
     * A record created by a write-back carries its shard's id in the mapping's
     * {@code externalIdField} (the write-back upserts by it). When a poll sees the record before
     * the write-back stored the new id on the shard's relationship, linking it to that shard —
     * instead of creating a second shard for the same record — closes the race.
     *
     * @return the shard with its pending relationship linked to the record, or {@code null}
     */
    private Shard adoptPendingCreate(ExternalRecord record) {
        if (mapping.externalIdField() == null) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode marker = record.fields().get(mapping.externalIdField());
        if (marker == null || !marker.isTextual() || marker.asText().isBlank()) {
            return null;
        }
        ShardId claimed;
        try {
            claimed = ShardId.of(marker.asText());
        } catch (IllegalArgumentException notAShardId) {
            return null;
        }
        return shards.get(integration.tenantId(), claimed)
                .flatMap(s -> s.externalRelationships().stream()
                        .filter(r -> r.integrationId().equals(integration.id()) && r.externalEntity().equals(mapping.externalEntity())
                                && r.externalId() == null)
                        .findFirst()
                        .map(r -> s.withRelationship(r.withExternalId(record.id()))))
                .orElse(null);
    }

    private void planDelete(ExternalRecord tombstone, Shard shard, boolean guarded, Instant now, PagePlan plan) {
        if (shard == null) {
            return;
        }
        ExternalRelationship rel = shard.relationship(integration.id(), mapping.externalEntity(), tombstone.id()).orElse(null);
        if (rel != null && rel.syncDirection() == SyncDirection.OUTBOUND) {
            // Castiel is the only source for outbound links: an external deletion does not delete Castiel's record.
            plan.skipped++;
            return;
        }
        if (guarded && rel != null && rel.lastSeenModifiedAt() != null && tombstone.modifiedAt() != null
                && tombstone.modifiedAt().isBefore(rel.lastSeenModifiedAt())) {
            plan.unchanged++;
            return;
        }
        DeleteBehavior behavior = mapping.deleteBehavior();
        switch (behavior) {
            case IGNORE -> plan.skipped++;
            case UNLINK -> {
                plan.writes.add(new ShardWrite.Replace(
                        shard.withoutRelationship(integration.id(), mapping.externalEntity(), tombstone.id()).changedBy(origin, now)));
                plan.deleted++;
            }
            case SOFT_DELETE -> {
                if (shard.isDeleted()) {
                    plan.unchanged++;
                } else {
                    plan.writes.add(new ShardWrite.Replace(shard.softDeleted(now).changedBy(origin, now)));
                    plan.deleted++;
                }
            }
            case DELETE -> {
                plan.writes.add(new ShardWrite.Delete(shard.id(), shard.etag()));
                plan.deleted++;
            }
        }
    }

    /** Applies the mapping's delete behaviour to shards whose external records are gone (the sweep). */
    void sweep(List<Shard> unseen, RunTally tally) {
        Instant now = clock.instant();
        PagePlan plan = new PagePlan();
        for (Shard s : unseen) {
            ExternalRelationship rel = linkOf(s).orElseThrow();
            planDelete(ExternalRecord.tombstone(mapping.externalEntity(), rel.externalId(), now), s, false, now, plan);
        }
        if (!plan.writes.isEmpty()) {
            shards.write(integration.tenantId(), plan.writes);
        }
        plan.commitTo(tally);
    }

    private SyncDirection linkDirection() {
        if (mapping.syncDirection() != null) {
            return mapping.syncDirection();
        }
        return integration.writeBackEnabled() ? SyncDirection.BIDIRECTIONAL : SyncDirection.INBOUND;
    }

    /** Ids of the external records a set of shards links to for this entity. */
    Set<String> linkedIds(List<Shard> batch) {
        return batch.stream()
                .map(this::linkOf)
                .flatMap(Optional::stream)
                .map(ExternalRelationship::externalId)
                .collect(Collectors.toSet());
    }

    /** The shard's link to a record of this integration's entity, if it has one with an external id. */
    Optional<ExternalRelationship> linkOf(Shard shard) {
        return shard.externalRelationships().stream()
                .filter(r -> r.integrationId().equals(integration.id()) && r.externalEntity().equals(mapping.externalEntity()) && r.externalId() != null)
                .findFirst();
    }

    /** The writes and counts of one page, committed to the tally only once the write succeeded. */
    private static final class PagePlan {
        final List<ShardWrite> writes = new ArrayList<>();
        final List<RecordError> failures = new ArrayList<>();
        long created;
        long updated;
        long unchanged;
        long deleted;
        long skipped;
        long conflicts;

        void commitTo(RunTally tally) {
            tally.add(created, updated, unchanged, deleted, skipped, conflicts);
            failures.forEach(tally::failed);
        }
    }
}
