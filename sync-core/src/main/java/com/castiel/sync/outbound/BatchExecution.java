package com.castiel.sync.outbound;

import com.castiel.sync.conflict.JsonValues;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldConflict;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a batch of coalesced changes of one integration: load the shards, read the
 * external records the policy needs, plan, write with the adapter's batch calls, re-resolve
 * records whose precondition failed, then record every result in the shard store in one batched
 * write. Returns an outcome per change; settling the messages is the caller's job.
 *
 * <p>Provider batches are chunks of at most {@code batchLimit} requests in change order. A whole
 * batch refused as invalid (an exchange-level validation failure, e.g. HTTP 400 for the request
 * as a whole) is split in halves until the bad records are isolated and fail alone. Retryable
 * exchange failures make the chunk's changes {@link ChangeOutcome.Retry}; authentication and
 * configuration failures fail them.
 *
 * <p>The shard writes carry only the engine's bookkeeping and the values a merge took from the
 * external side (tagged with the engine's origin): they never trigger write-back. They are
 * conditional on the etags read; on a store conflict the shards are re-read and the same results
 * re-applied. A relationship that inbound sync has meanwhile moved past the written version is
 * left alone, and a merged value is applied only where the user has not edited the field since.
 *
 * <p>Single use, confined to the session's thread.
 */
final class BatchExecution {

    private static final Logger log = LoggerFactory.getLogger(BatchExecution.class);

    private final Integration integration;
    private final ProviderAdapter adapter;
    private final Set<Capability> capabilities;
    private final ShardStore shards;
    private final Clock clock;
    private final OutboundSettings settings;
    private final int batchLimit;
    private final Map<String, WriteBackPlanner> planners;
    private final Runnable keepAlive;
    private final String origin;

    BatchExecution(Integration integration, ProviderAdapter adapter, Map<String, WriteBackPlanner> planners, ShardStore shards,
                   Clock clock, OutboundSettings settings, int batchLimit, Runnable keepAlive) {
        this.integration = integration;
        this.adapter = adapter;
        this.capabilities = adapter.capabilities();
        this.planners = planners;
        this.shards = shards;
        this.clock = clock;
        this.settings = settings;
        this.batchLimit = batchLimit;
        this.keepAlive = keepAlive;
        this.origin = Shard.ENGINE_ORIGIN_PREFIX + integration.id();
    }

    /** Runs the changes; every change gets an outcome. */
    Map<CoalescedChange, ChangeOutcome> run(List<CoalescedChange> changes) {
        List<Item> items = new ArrayList<>(changes.size());
        for (CoalescedChange c : changes) {
            items.add(new Item(c));
        }
        for (Item item : items) {
            prepare(item);
        }
        List<Item> open = items.stream().filter(i -> i.outcome == null).toList();
        for (int round = 0; !open.isEmpty(); round++) {
            keepAlive.run();
            read(open);
            for (Item item : open) {
                if (item.outcome == null) {
                    plan(item);
                }
            }
            keepAlive.run();
            write(open.stream().filter(i -> i.outcome == null && i.plan instanceof RecordPlan.Write).toList());
            List<Item> again = new ArrayList<>();
            for (Item item : open) {
                if (item.outcome == null && item.preconditionFailed && item.written == null && !item.settled) {
                    if (round >= settings.preconditionRetries()) {
                        item.outcome = new ChangeOutcome.Retry(new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE,
                                integration.provider() + " record " + item.rel.externalId() + " kept changing during write-back ("
                                        + (round + 1) + " precondition failures)", SyncException.Details.NONE));
                    } else {
                        again.add(item);
                    }
                }
            }
            open = again;
        }
        keepAlive.run();
        record(items);
        Map<CoalescedChange, ChangeOutcome> outcomes = new LinkedHashMap<>();
        for (Item item : items) {
            outcomes.put(item.change, Objects.requireNonNull(item.outcome, "outcome"));
        }
        return outcomes;
    }

    /** Loads the shard and finds what the change applies to; decides the cases that need no provider call. */
    private void prepare(Item item) {
        CoalescedChange c = item.change;
        item.shard = shards.get(integration.tenantId(), c.shardId()).orElse(null);
        String entity = c.entity();
        if (entity == null && item.shard != null) {
            entity = item.shard.relationshipFor(integration.id()).map(ExternalRelationship::externalEntity).orElse(null);
        }
        if (entity == null) {
            item.outcome = ChangeOutcome.Completed.skipped("shard " + c.shardId() + " has no relationship to " + integration.id());
            return;
        }
        item.planner = planners.get(entity);
        if (item.planner == null) {
            item.outcome = ChangeOutcome.Completed.skipped("entity " + entity + " is not mapped by integration " + integration.id());
            return;
        }
        if (item.shard == null) {
            if (c.operation() == Operation.DELETE) {
                item.plan = item.planner.planDelete(null, c.externalId());
                item.operation = Operation.DELETE;
                settleIfSkip(item);
            } else {
                item.outcome = ChangeOutcome.Completed.skipped("shard " + c.shardId() + " no longer exists");
            }
            return;
        }
        item.rel = findRelationship(item.shard, entity, c.externalId());
        if (item.rel == null) {
            item.outcome = ChangeOutcome.Completed.skipped("shard " + c.shardId() + " is no longer linked to " + entity + " of " + integration.id());
            return;
        }
        if (!item.rel.writesBack()) {
            item.outcome = ChangeOutcome.Completed.skipped("the link of shard " + c.shardId() + " is " + item.rel.syncDirection().wire());
            return;
        }
        if (c.operation() == Operation.DELETE && item.shard.isDeleted()) {
            item.operation = Operation.DELETE;
            item.plan = item.planner.planDelete(item.rel, item.rel.externalId() != null ? item.rel.externalId() : c.externalId());
            settleIfSkip(item);
            return;
        }
        if (item.shard.isDeleted()) {
            item.outcome = ChangeOutcome.Completed.skipped("shard " + c.shardId() + " is deleted");
            return;
        }
        // an update of a link whose create never reached the provider creates it; a repeated create updates
        item.operation = item.rel.externalId() == null ? Operation.CREATE : Operation.UPDATE;
        // a delete whose shard was restored before it was written: the record stays, but edits coalesced
        // into the delete are not named any more, so every outbound field is compared with the base
        item.changedFields = c.operation() == Operation.CREATE || c.operation() == Operation.DELETE ? Set.of() : c.changedFields();
    }

    private void settleIfSkip(Item item) {
        if (item.plan instanceof RecordPlan.Skip skip) {
            item.outcome = ChangeOutcome.Completed.skipped(skip.reason());
        }
    }

    private ExternalRelationship findRelationship(Shard shard, String entity, String externalId) {
        if (externalId != null) {
            Optional<ExternalRelationship> exact = shard.relationship(integration.id(), entity, externalId);
            if (exact.isPresent()) {
                return exact.get();
            }
        }
        return shard.externalRelationships().stream()
                .filter(r -> r.integrationId().equals(integration.id()) && r.externalEntity().equals(entity))
                .findFirst().orElse(null);
    }

    /** Reads, in batched calls per entity, the records of the updates that need reading. */
    private void read(List<Item> open) {
        Map<String, List<Item>> byEntity = new LinkedHashMap<>();
        for (Item item : open) {
            item.external = ExternalState.NOT_READ;
            if (item.outcome == null && item.operation == Operation.UPDATE && item.planner.readsBeforeUpdate(item.rel, item.preconditionFailed)) {
                byEntity.computeIfAbsent(item.planner.mapping().externalEntity(), k -> new ArrayList<>()).add(item);
            }
        }
        for (Map.Entry<String, List<Item>> e : byEntity.entrySet()) {
            List<Item> items = e.getValue();
            EntityMapping mapping = items.get(0).planner.mapping();
            for (int from = 0; from < items.size(); from += settings.readBatchSize()) {
                List<Item> chunk = items.subList(from, Math.min(items.size(), from + settings.readBatchSize()));
                List<String> ids = chunk.stream().map(i -> i.rel.externalId()).distinct().toList();
                List<ExternalRecord> records;
                try {
                    records = adapter.fetchByIds(e.getKey(), ids, mapping.inboundExternalFields());
                } catch (SyncException ex) {
                    if (ex.retryable()) {
                        chunk.forEach(i -> i.outcome = new ChangeOutcome.Retry(ex));
                    } else if (fatal(ex)) {
                        chunk.forEach(i -> i.outcome = new ChangeOutcome.Failed(i.operation, ex));
                    } else {
                        // the record cannot be read: fall back to the record-level check
                        log.info("read before write-back of {} {} failed ({}); deciding without field values", integration.id(), e.getKey(),
                                ex.getMessage());
                    }
                    continue;
                }
                Map<String, ExternalRecord> found = new HashMap<>();
                for (ExternalRecord r : records) {
                    found.put(r.id(), r);
                }
                for (Item i : chunk) {
                    ExternalRecord r = found.get(i.rel.externalId());
                    i.external = r == null || r.deleted() ? ExternalState.GONE : new ExternalState.Read(r);
                }
            }
        }
    }

    private void plan(Item item) {
        WriteBackPlanner planner = item.planner;
        item.plannedCastiel = planner.mapper().extract(item.shard == null ? null : item.shard.structuredData());
        item.plan = switch (item.operation) {
            case CREATE -> planner.planCreate(item.shard);
            case UPDATE -> planner.planUpdate(item.shard, item.rel, item.changedFields, item.external, item.preconditionFailed);
            // planned in prepare()
            case DELETE -> item.plan;
        };
        item.preconditionFailed = false;
        switch (item.plan) {
            case RecordPlan.Fail fail -> item.outcome = new ChangeOutcome.Failed(item.operation, fail.error());
            case RecordPlan.Skip skip -> item.outcome = ChangeOutcome.Completed.skipped(skip.reason());
            case RecordPlan.Settle settle -> item.settled = true;
            case RecordPlan.Write write -> item.settled = false;
        }
    }

    private void write(List<Item> writing) {
        for (int from = 0; from < writing.size(); from += batchLimit) {
            List<Item> chunk = writing.subList(from, Math.min(writing.size(), from + batchLimit));
            List<WriteRequest> requests = chunk.stream().map(i -> ((RecordPlan.Write) i.plan).request()).toList();
            List<WriteResult> results = writeIsolating(requests);
            for (int k = 0; k < chunk.size(); k++) {
                accept(chunk.get(k), results.get(k));
            }
        }
    }

    /**
     * Writes one chunk; an exchange-level refusal of the chunk as a whole is split in halves until
     * the refused records are isolated. Retryable and fatal exchange failures become the result of
     * every record of the (sub-)chunk.
     */
    private List<WriteResult> writeIsolating(List<WriteRequest> requests) {
        List<WriteResult> results;
        try {
            if (capabilities.contains(Capability.BATCH_WRITE)) {
                results = adapter.writeBatch(requests);
            } else {
                results = new ArrayList<>(requests.size());
                for (WriteRequest r : requests) {
                    results.add(adapter.write(r));
                }
            }
        } catch (SyncException e) {
            if (e.retryable() || fatal(e) || requests.size() == 1) {
                return requests.stream().map(r -> (WriteResult) new WriteResult.Failed(e)).toList();
            }
            log.info("{} refused a batch of {} writes as a whole ({}); splitting it to isolate the bad records", integration.provider(),
                    requests.size(), e.getMessage());
            int half = requests.size() / 2;
            List<WriteResult> split = new ArrayList<>(requests.size());
            split.addAll(writeIsolating(requests.subList(0, half)));
            split.addAll(writeIsolating(requests.subList(half, requests.size())));
            return split;
        }
        if (results == null || results.size() != requests.size()) {
            SyncException broken = new SyncException.Configuration(integration.provider() + " adapter returned "
                    + (results == null ? "no" : results.size()) + " results for " + requests.size() + " writes");
            return requests.stream().map(r -> (WriteResult) new WriteResult.Failed(broken)).toList();
        }
        return results;
    }

    private void accept(Item item, WriteResult result) {
        RecordPlan.Write write = (RecordPlan.Write) item.plan;
        switch (result) {
            case WriteResult.Written w -> {
                WriteKind kind = write.request().kind();
                if ((kind == WriteKind.CREATE || kind == WriteKind.UPSERT) && w.externalId() == null) {
                    item.outcome = new ChangeOutcome.Failed(item.operation, new SyncException.Configuration(integration.provider()
                            + " adapter reported a created record without its id"));
                } else {
                    item.written = w;
                }
            }
            case WriteResult.Failed f -> {
                SyncException e = f.error();
                if (e instanceof SyncException.Conflict && write.conditional()) {
                    item.preconditionFailed = true;
                } else if (e instanceof SyncException.NotFound && item.operation == Operation.DELETE) {
                    // already gone: the delete is done
                    item.written = new WriteResult.Written(write.request().externalId(), null, null, false);
                } else if (e.retryable()) {
                    item.outcome = new ChangeOutcome.Retry(e);
                } else {
                    item.outcome = new ChangeOutcome.Failed(item.operation, e);
                }
            }
        }
    }

    private static boolean fatal(SyncException e) {
        return e instanceof SyncException.AuthFailed || e instanceof SyncException.Configuration;
    }

    /**
     * Records results in the shard store (one batched, etag-checked write, re-read and re-applied
     * on conflicts) and turns them into outcomes. If the store keeps refusing, the changes whose
     * results could not be recorded are retried; their provider writes are repeated then, which
     * the merge turns into no-ops.
     */
    private void record(List<Item> items) {
        Map<ShardId, List<Item>> byShard = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.shard == null || item.rel == null) {
                continue;
            }
            boolean success = item.outcome == null && (item.written != null || item.settled);
            boolean failed = item.outcome instanceof ChangeOutcome.Failed;
            if (success || failed) {
                byShard.computeIfAbsent(item.shard.id(), k -> new ArrayList<>()).add(item);
            }
        }
        Instant now = clock.instant();
        Map<ShardId, Shard> current = new LinkedHashMap<>();
        byShard.keySet().forEach(id -> current.put(id, firstShard(byShard.get(id))));
        boolean stored = byShard.isEmpty();
        for (int attempt = 0; !stored; attempt++) {
            List<ShardWrite> writes = new ArrayList<>();
            for (Map.Entry<ShardId, List<Item>> e : byShard.entrySet()) {
                Shard fresh = current.get(e.getKey());
                if (fresh == null) {
                    continue;
                }
                Shard updated = fresh;
                for (Item item : e.getValue()) {
                    updated = applyResult(updated, item, now);
                }
                if (!updated.equals(fresh)) {
                    writes.add(new ShardWrite.Replace(updated));
                }
            }
            try {
                if (!writes.isEmpty()) {
                    shards.write(integration.tenantId(), writes);
                }
                stored = true;
            } catch (StoreConflictException e) {
                if (attempt >= settings.storeConflictRetries()) {
                    SyncException retry = new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "could not record write-back results of "
                            + integration.id() + ": shards kept changing (" + e.getMessage() + ")", null, SyncException.Details.NONE, e);
                    byShard.values().forEach(list -> list.stream().filter(i -> i.outcome == null).forEach(i -> i.outcome = new ChangeOutcome.Retry(retry)));
                    break;
                }
                for (ShardId id : byShard.keySet()) {
                    current.put(id, shards.get(integration.tenantId(), id).orElse(null));
                }
            }
        }
        for (Item item : items) {
            if (item.outcome == null) {
                item.outcome = completed(item);
            }
        }
    }

    private static Shard firstShard(List<Item> items) {
        return items.get(0).shard;
    }

    private ChangeOutcome completed(Item item) {
        Resolution r = item.plan instanceof RecordPlan.Write w ? w.resolution() : ((RecordPlan.Settle) item.plan).resolution();
        String externalId = item.written != null && item.written.externalId() != null ? item.written.externalId()
                : item.rel != null ? item.rel.externalId() : null;
        return new ChangeOutcome.Completed(item.operation, item.written != null, r.conflicts().size(),
                r.parked().stream().map(FieldConflict::field).toList(), externalId, null);
    }

    /** One item's result applied to the shard as it stands now. */
    private Shard applyResult(Shard fresh, Item item, Instant now) {
        String entity = item.rel.externalEntity();
        ExternalRelationship current = fresh.externalRelationships().stream()
                .filter(r -> r.integrationId().equals(integration.id()) && r.externalEntity().equals(entity)
                        && Objects.equals(r.externalId(), item.rel.externalId()))
                .findFirst().orElse(null);
        if (current == null) {
            return fresh;
        }
        if (item.outcome instanceof ChangeOutcome.Failed failed) {
            return fresh.withRelationship(current.failed(failed.error().getMessage()));
        }
        Resolution resolution = item.plan instanceof RecordPlan.Write w ? w.resolution() : ((RecordPlan.Settle) item.plan).resolution();
        ExternalRelationship next = resolution.settle(current, item.written, now);
        if (current.lastSeenModifiedAt() != null && next.lastSeenModifiedAt() != null && current.lastSeenModifiedAt().isAfter(next.lastSeenModifiedAt())
                && !current.equals(item.rel)) {
            // inbound sync recorded a newer state of the record meanwhile; it wins the bookkeeping
            return fresh;
        }
        Shard updated = fresh.withRelationship(next);
        ObjectNode changes = resolution.castielChanges();
        if (!changes.isEmpty()) {
            RecordMapper mapper = item.planner.mapper();
            ObjectNode fieldsNow = mapper.extract(fresh.structuredData());
            ObjectNode apply = changes.deepCopy();
            apply.properties().removeIf(e -> !JsonValues.same(fieldsNow.get(e.getKey()), item.plannedCastiel.get(e.getKey())));
            if (!apply.isEmpty()) {
                updated = updated.withData(mapper.applyTo(updated.structuredData(), apply), now).changedBy(origin, now);
            }
        }
        return updated;
    }

    /** The state of one change through the attempt. */
    private static final class Item {
        final CoalescedChange change;
        Shard shard;
        ExternalRelationship rel;
        WriteBackPlanner planner;
        Operation operation;
        Set<String> changedFields = Set.of();
        ExternalState external = ExternalState.NOT_READ;
        boolean preconditionFailed;
        RecordPlan plan;
        ObjectNode plannedCastiel;
        WriteResult.Written written;
        boolean settled;
        ChangeOutcome outcome;

        Item(CoalescedChange change) {
            this.change = change;
        }
    }
}
