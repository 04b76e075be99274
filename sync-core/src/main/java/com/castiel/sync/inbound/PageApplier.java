package com.castiel.sync.inbound;

import com.castiel.sync.conflict.MergeResult;
import com.castiel.sync.conflict.ThreeWayMerge;
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
import com.castiel.sync.port.LinkState;
import com.castiel.sync.port.PreparedWrites;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * A page mapped, planned and made ready for writing by {@link #prepare}, ahead of
     * {@link #apply(Prepared, Applied, RunTally)} and on another thread: against the store as it
     * was then.
     */
    static final class Prepared {
        private final Map<String, ExternalRecord> latest;
        private final PagePlan plan;
        private final PreparedWrites batch;

        private Prepared(Map<String, ExternalRecord> latest, PagePlan plan, PreparedWrites batch) {
            this.latest = latest;
            this.plan = plan;
            this.batch = batch;
        }

        /**
         * Whether this plan, made while {@code earlier} was written, may have read state that
         * write changed: the pages share a record (it changed between them), or this plan read
         * the link of a shard the earlier write changed (a shard linked to records of both).
         */
        boolean mayHaveMissed(Applied earlier) {
            for (String id : latest.keySet()) {
                if (earlier.ids.contains(id)) {
                    return true;
                }
            }
            return !Collections.disjoint(plan.linkedShards, earlier.writtenShards);
        }
    }

    /**
     * What an applied page leaves for checking the page planned while it was written: its record
     * ids and the shards its write actually changed (after any re-plan), nothing else.
     */
    static final class Applied {
        private static final Applied NOTHING = new Applied(Set.of(), Set.of());

        private final Set<String> ids;
        private final Set<ShardId> writtenShards;

        private Applied(Set<String> ids, Set<ShardId> writtenShards) {
            this.ids = ids;
            this.writtenShards = writtenShards;
        }
    }

    /**
     * Mapped values (or validation failures) of a page's live records, computed by
     * {@link #premap} ahead of planning; keyed by record identity, since a page may hold two
     * versions of one id.
     */
    static final class Premapped {
        private final Map<ExternalRecord, Object> byRecord;

        private Premapped(Map<ExternalRecord, Object> byRecord) {
            this.byRecord = byRecord;
        }
    }

    /** Maps the live records of a page; safe to call on any thread (the mapper is immutable). */
    Premapped premap(List<ExternalRecord> page) {
        Map<ExternalRecord, Object> byRecord = new IdentityHashMap<>(page.size() * 2);
        for (ExternalRecord record : page) {
            if (!record.deleted()) {
                byRecord.put(record, map(record));
            }
        }
        return new Premapped(byRecord);
    }

    /**
     * Plans a page and prepares its write, without writing: safe to call on any thread, and
     * while an earlier page is written (see {@link #apply(Prepared, Applied, RunTally)}).
     * {@code premapped} holds the values {@link #premap} made of these very record objects
     * ({@code null}: map them here). Throws only for failures of the whole page (a store that
     * cannot be read).
     */
    Prepared prepare(List<ExternalRecord> page, Premapped premapped) {
        Map<String, ExternalRecord> latest = latestById(page);
        PagePlan plan = plan(latest.values(), premapped);
        PreparedWrites batch = plan.writes.isEmpty() ? null : shards.prepare(integration.tenantId(), plan.writes);
        return new Prepared(latest, plan, batch);
    }

    /** Applies the records; counts go to {@code tally}. Throws only for failures of the whole page. */
    void apply(List<ExternalRecord> page, RunTally tally) {
        if (page.isEmpty()) {
            return;
        }
        applyPlanned(latestById(page), null, tally);
    }

    /**
     * Applies a page {@link #prepare prepared} ahead. {@code previous} is what the page applied
     * while it was planned left ({@code null}: none): when the plan may have read state that
     * page's write changed, the page is planned again here, so preparing ahead never decides on
     * state older than this scan's own writes. Other writers are caught as ever, by the store's
     * etag and link checks (a conflict re-plans the page).
     *
     * @return what the next page's check needs
     */
    Applied apply(Prepared prepared, Applied previous, RunTally tally) {
        if (prepared.latest.isEmpty()) {
            return Applied.NOTHING;
        }
        boolean stale = previous != null && prepared.mayHaveMissed(previous);
        PagePlan written = applyPlanned(prepared.latest, stale ? null : prepared, tally);
        return new Applied(Set.copyOf(prepared.latest.keySet()), written.writtenShards());
    }

    /** Writes the page's plan (a fresh one after a conflict); returns the plan written. */
    private PagePlan applyPlanned(Map<String, ExternalRecord> latest, Prepared prepared, RunTally tally) {
        for (int attempt = 0; ; attempt++) {
            // A re-plan after a store conflict maps afresh: the first plan may have built on the values.
            PagePlan plan = attempt == 0 && prepared != null ? prepared.plan : plan(latest.values(), null);
            try {
                if (attempt == 0 && prepared != null && prepared.batch != null) {
                    shards.write(prepared.batch);
                } else if (!plan.writes.isEmpty()) {
                    shards.write(integration.tenantId(), plan.writes);
                }
                plan.commitTo(tally);
                return plan;
            } catch (StoreConflictException e) {
                if (attempt >= conflictRetries) {
                    throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE,
                            "shards kept changing under the sync (" + e.getMessage() + "); the job will be retried",
                            null, SyncException.Details.NONE, e);
                }
            }
        }
    }

    /** A record can appear twice in one page when it changed mid-scan; the later copy wins. */
    private static Map<String, ExternalRecord> latestById(List<ExternalRecord> page) {
        Map<String, ExternalRecord> latest = new LinkedHashMap<>();
        for (ExternalRecord r : page) {
            latest.merge(r.id(), r, (a, b) -> newer(a, b) ? a : b);
        }
        return latest;
    }

    private static boolean newer(ExternalRecord a, ExternalRecord b) {
        if (a.modifiedAt() == null || b.modifiedAt() == null) {
            return false;
        }
        return a.modifiedAt().isAfter(b.modifiedAt());
    }

    /**
     * Plans one page in two steps. First every live record is mapped and hashed and the page's
     * link states are read in one lookup: a record the link alone settles (provably unchanged,
     * older than the version already applied, or linked outbound-only) is counted without its
     * shard ever being read. Then the shards of the remaining linked records are read in one
     * lookup, and those records (and the unlinked ones) are planned in page order.
     */
    private PagePlan plan(Collection<ExternalRecord> records, Premapped premapped) {
        List<String> ids = records.stream().map(ExternalRecord::id).toList();
        Map<String, LinkState> links = shards.findLinkStates(integration.tenantId(), integration.id(), mapping.externalEntity(), ids);
        Instant now = clock.instant();
        PagePlan plan = new PagePlan();
        Map<String, Object> mappedById = new HashMap<>();
        List<ExternalRecord> open = new ArrayList<>(records.size());
        List<String> toLoad = new ArrayList<>();
        for (ExternalRecord record : records) {
            LinkState link = links.get(record.id());
            if (link != null) {
                plan.linkedShards.add(link.shardId());
            }
            Verdict verdict = null;
            if (record.deleted()) {
                if (link != null) {
                    verdict = switch (deleteAction(link, record.modifiedAt(), true)) {
                        case SKIP -> Verdict.SKIPPED;
                        case UNCHANGED -> Verdict.UNCHANGED;
                        default -> null;
                    };
                }
            } else {
                // Never null when present: a mapping ends in values or in the failure that stopped it.
                Object mapped = premapped == null ? null : premapped.byRecord.get(record);
                if (mapped == null) {
                    mapped = map(record);
                }
                mappedById.put(record.id(), mapped);
                if (link != null && mapped instanceof MappedValues values) {
                    verdict = settledByLink(record, values, link);
                }
            }
            if (verdict != null) {
                verdict.countIn(plan);
                continue;
            }
            open.add(record);
            if (link != null) {
                toLoad.add(record.id());
            }
        }
        Map<String, Shard> existing = toLoad.isEmpty() ? Map.of()
                : shards.findByExternalIds(integration.tenantId(), integration.id(), mapping.externalEntity(), toLoad);
        for (ExternalRecord record : open) {
            // A shard gone since its link was read plans like a record seen for the first time.
            Shard shard = existing.get(record.id());
            if (record.deleted()) {
                planDelete(record, shard, now, plan);
            } else {
                planUpsert(record, mappedById.get(record.id()), shard, now, plan);
            }
        }
        return plan;
    }

    /** The record's mapped values, or the validation failure that stops it from being mapped. */
    private Object map(ExternalRecord record) {
        try {
            return mapper.toShard(record);
        } catch (SyncException.Validation e) {
            return e;
        }
    }

    /** How a record ends when nothing needs writing. */
    private enum Verdict {
        SKIPPED, UNCHANGED;

        void countIn(PagePlan plan) {
            if (this == SKIPPED) {
                plan.skipped++;
            } else {
                plan.unchanged++;
            }
        }
    }

    /**
     * What the link alone says about a mapped live record, or {@code null} when the record needs
     * its shard: links Castiel owns (outbound-only) take no external change; a record older than
     * the version already applied is ignored (the merge guard); and a record whose values hash to
     * the last synced ones, on a live shard whose last sync did not fail, is unchanged, unless its
     * stamp moved past the last seen one, which the relationship must then record.
     */
    private static Verdict settledByLink(ExternalRecord record, MappedValues mapped, LinkState link) {
        if (link.syncDirection() == SyncDirection.OUTBOUND) {
            return Verdict.SKIPPED;
        }
        if (olderThanSeen(record.modifiedAt(), link)) {
            return Verdict.UNCHANGED;
        }
        if (sameContent(mapped, link) && !stampMoved(record, link)) {
            return Verdict.UNCHANGED;
        }
        return null;
    }

    private static boolean olderThanSeen(Instant modifiedAt, LinkState link) {
        return link.lastSeenModifiedAt() != null && modifiedAt != null && modifiedAt.isBefore(link.lastSeenModifiedAt());
    }

    private static boolean sameContent(MappedValues mapped, LinkState link) {
        return mapped.hash().equals(link.lastSyncedHash()) && !link.shardDeleted() && link.syncStatus() != SyncStatus.FAILED;
    }

    private static boolean stampMoved(ExternalRecord record, LinkState link) {
        return record.modifiedAt() != null && (link.lastSeenModifiedAt() == null || record.modifiedAt().isAfter(link.lastSeenModifiedAt()));
    }

    private void planUpsert(ExternalRecord record, Object mappedOrFailure, Shard linked, Instant now, PagePlan plan) {
        Shard shard = linked;
        if (mappedOrFailure instanceof SyncException.Validation e) {
            plan.failures.add(new RecordError(mapping.externalEntity(), record.id(), e.field(), e.getMessage()));
            if (linked != null) {
                linked.relationship(integration.id(), mapping.externalEntity(), record.id())
                        .filter(r -> r.syncStatus() != SyncStatus.FAILED || !e.getMessage().equals(r.error()))
                        .ifPresent(r -> plan.writes.add(new ShardWrite.Replace(linked.withRelationship(r.failed(e.getMessage())))));
            }
            return;
        }
        MappedValues mapped = (MappedValues) mappedOrFailure;
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
        // The same rules as before the shard was read (the shard may have been read for another reason,
        // or the link may have changed in between): outbound-only links take no external change, stale
        // records are ignored, unchanged content is not written.
        LinkState link = LinkState.of(shard, rel);
        Verdict verdict = settledByLink(record, mapped, link);
        if (verdict != null) {
            verdict.countIn(plan);
            return;
        }
        if (sameContent(mapped, link)) {
            // Nothing to apply, but the merge guard must learn that this version was seen: otherwise a late
            // copy of an intermediate version (values A, then B, then A again) would pass it and stick.
            // Only a record whose stamp moved costs this write; overlap re-reads keep their stamp.
            plan.unchanged++;
            plan.writes.add(new ShardWrite.Replace(shard.withRelationship(rel.seenAt(record.version(), record.modifiedAt()))));
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

    /**
     * Plans a tombstone from a feed or webhook against the shard linked to its record
     * ({@code null}: nothing linked). The merge guard applies: a tombstone older than the version
     * already applied is stale (the record was restored since).
     */
    private void planDelete(ExternalRecord tombstone, Shard shard, Instant now, PagePlan plan) {
        if (shard == null) {
            return;
        }
        ExternalRelationship rel = shard.relationship(integration.id(), mapping.externalEntity(), tombstone.id()).orElse(null);
        DeleteAction action = rel == null ? deleteAction(shard.isDeleted())
                : deleteAction(LinkState.of(shard, rel), tombstone.modifiedAt(), true);
        Shard after = action.applyTo(shard, integration, mapping.externalEntity(), tombstone.id(), origin, now);
        action.countIn(plan);
        if (action == DeleteAction.DELETE) {
            plan.writes.add(new ShardWrite.Delete(shard.id(), shard.etag()));
        } else if (after != shard) {
            plan.writes.add(new ShardWrite.Replace(after));
        }
    }

    /** What an external deletion does to a linked shard. */
    private enum DeleteAction {
        /** Not applied: an outbound-only link, or the mapping ignores deletions. */
        SKIP,
        /** Nothing left to do: a stale tombstone, or a shard already soft-deleted. */
        UNCHANGED,
        UNLINK,
        SOFT_DELETE,
        DELETE;

        /** The shard after this action ({@code shard} itself when it does not change; unused for {@link #DELETE}). */
        Shard applyTo(Shard shard, Integration integration, String entity, String externalId, String origin, Instant now) {
            return switch (this) {
                case SKIP, UNCHANGED, DELETE -> shard;
                case UNLINK -> shard.withoutRelationship(integration.id(), entity, externalId).changedBy(origin, now);
                case SOFT_DELETE -> shard.softDeleted(now).changedBy(origin, now);
            };
        }

        void countIn(PagePlan plan) {
            switch (this) {
                case SKIP -> plan.skipped++;
                case UNCHANGED -> plan.unchanged++;
                default -> plan.deleted++;
            }
        }
    }

    /**
     * What a tombstone (or the sweep's verdict) does to the shard holding {@code link}: Castiel is
     * the only source for outbound-only links, so an external deletion does not touch them; a
     * guarded tombstone older than the version already applied is stale; otherwise the mapping's
     * delete behaviour.
     *
     * @param guarded whether the merge guard applies; the sweep's verdict comes from a complete
     *     scan and is not guarded
     */
    private DeleteAction deleteAction(LinkState link, Instant tombstoneAt, boolean guarded) {
        if (link.syncDirection() == SyncDirection.OUTBOUND) {
            return DeleteAction.SKIP;
        }
        if (guarded && olderThanSeen(tombstoneAt, link)) {
            return DeleteAction.UNCHANGED;
        }
        return deleteAction(link.shardDeleted());
    }

    private DeleteAction deleteAction(boolean shardDeleted) {
        return switch (mapping.deleteBehavior()) {
            case IGNORE -> DeleteAction.SKIP;
            case UNLINK -> DeleteAction.UNLINK;
            case SOFT_DELETE -> shardDeleted ? DeleteAction.UNCHANGED : DeleteAction.SOFT_DELETE;
            case DELETE -> DeleteAction.DELETE;
        };
    }

    /**
     * Applies the mapping's delete behaviour to links whose external records are gone (the
     * sweep). Links whose verdict needs no write are settled from their state; only the shards
     * that change are read, in one lookup. A link that moved to another shard or vanished since
     * it was listed is left alone. A shard holding several of the links changes once.
     */
    void sweep(List<LinkState> unseen, RunTally tally) {
        Instant now = clock.instant();
        PagePlan plan = new PagePlan();
        Map<String, LinkState> toLoad = new LinkedHashMap<>();
        for (LinkState link : unseen) {
            DeleteAction action = deleteAction(link, now, false);
            if (action == DeleteAction.SKIP || action == DeleteAction.UNCHANGED) {
                action.countIn(plan);
            } else {
                toLoad.put(link.externalId(), link);
            }
        }
        if (!toLoad.isEmpty()) {
            Map<String, Shard> loaded = shards.findByExternalIds(integration.tenantId(), integration.id(), mapping.externalEntity(),
                    List.copyOf(toLoad.keySet()));
            // The shards as the sweep leaves them, by id (null: deleted), each starting from what was read.
            Map<ShardId, Shard> changed = new LinkedHashMap<>();
            Map<ShardId, Shard> before = new HashMap<>();
            for (LinkState link : toLoad.values()) {
                Shard read = loaded.get(link.externalId());
                if (read == null || !read.id().equals(link.shardId())) {
                    continue;
                }
                before.putIfAbsent(read.id(), read);
                Shard current = changed.containsKey(read.id()) ? changed.get(read.id()) : read;
                if (current == null) {
                    continue;
                }
                ExternalRelationship rel = current.relationship(integration.id(), mapping.externalEntity(), link.externalId()).orElse(null);
                if (rel == null) {
                    continue;
                }
                DeleteAction action = deleteAction(LinkState.of(current, rel), now, false);
                action.countIn(plan);
                if (action == DeleteAction.DELETE) {
                    changed.put(read.id(), null);
                } else {
                    Shard after = action.applyTo(current, integration, mapping.externalEntity(), link.externalId(), origin, now);
                    if (after != current) {
                        changed.put(read.id(), after);
                    }
                }
            }
            changed.forEach((id, after) -> plan.writes.add(after == null
                    ? new ShardWrite.Delete(id, before.get(id).etag())
                    : new ShardWrite.Replace(after)));
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

    /** The writes and counts of one page, committed to the tally only once the write succeeded. */
    private static final class PagePlan {
        final List<ShardWrite> writes = new ArrayList<>();
        /** The shards whose links the plan read. */
        final Set<ShardId> linkedShards = new HashSet<>();
        final List<RecordError> failures = new ArrayList<>();
        long created;
        long updated;
        long unchanged;
        long deleted;
        long skipped;
        long conflicts;

        Set<ShardId> writtenShards() {
            if (writes.isEmpty()) {
                return Set.of();
            }
            Set<ShardId> ids = new HashSet<>();
            for (ShardWrite w : writes) {
                ids.add(switch (w) {
                    case ShardWrite.Insert insert -> insert.shard().id();
                    case ShardWrite.Replace replace -> replace.shard().id();
                    case ShardWrite.Delete delete -> delete.shardId();
                });
            }
            return ids;
        }

        void commitTo(RunTally tally) {
            tally.add(created, updated, unchanged, deleted, skipped, conflicts);
            failures.forEach(tally::failed);
        }
    }
}
