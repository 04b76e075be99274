package com.castiel.sync.inbound;

import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.RunStatus;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.port.LinkState;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.transform.RecordMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound pipeline: turns external records into shards, one page at a time.
 *
 * <p><b>Scheduled runs</b> (full and incremental) scan each mapped entity in (modification stamp,
 * id) order. After every page is durably written, a checkpoint records the cursor and the
 * running watermark, so a crashed run resumes where it stopped (under the same run id) instead
 * of starting over. The entity's stored watermark advances only when its scan finishes, to the
 * highest stamp actually seen, never to the current time. Incremental scans restart
 * {@code overlap} before the watermark; the content hash makes re-read records free.
 *
 * <p><b>Deletes</b> come from the provider's delete feed on incremental runs. A full run that
 * reads its entity to the end without a page-level failure is a verified complete scan: only
 * then are shards whose record was not seen (and that were synced before the scan started)
 * swept with the mapping's delete behaviour. A fresh full scan of an entity that has no linked
 * shard yet (a first import) has nothing to sweep, so it neither records a seen-set nor sweeps.
 *
 * <p><b>Webhook runs</b> apply the records the notices carry, refetch those they only name, and
 * never move watermarks: webhooks are hints, polling is the truth.
 *
 * <p>Memory is flat in the number of records: a few pages in the scan's pipeline, the counts
 * and a bounded list of record errors are held. Thread-safe; one instance serves every
 * integration, but two scheduled runs of the same integration must not overlap (the hosts
 * serialise them).
 */
public final class InboundSync {

    private static final Logger log = LoggerFactory.getLogger(InboundSync.class);
    static final String PHASE_RECORDS = "records";
    static final String PHASE_DELETES = "deletes";
    private static final int MAX_CURSOR_RESTARTS = 3;
    /**
     * Pages a scan fetches ahead of the one being prepared: enough that a page the engine takes
     * longer over does not hold up the next request (under a rate limit, a lost permit slot).
     */
    static final int FETCH_AHEAD = 1;

    private final ShardStore shards;
    private final RunStore runs;
    private final Clock clock;
    private final InboundSettings settings;

    public InboundSync(ShardStore shards, RunStore runs, Clock clock, InboundSettings settings) {
        this.shards = Objects.requireNonNull(shards, "shards");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Runs one job against an adapter opened for the job's integration.
     *
     * @return the outcome; the run is already saved in the history
     * @throws SyncException when the run fails as a whole (the run is saved as failed and, for
     *     scheduled runs, the checkpoint is kept for the retry)
     */
    public InboundOutcome run(InboundJob job, ProviderAdapter adapter) {
        return job.jobType() == JobType.WEBHOOK ? runWebhook(job, adapter) : runScheduled(job, adapter);
    }

    private InboundOutcome runScheduled(InboundJob job, ProviderAdapter adapter) {
        Integration integration = job.integration();
        Optional<SyncCheckpoint> checkpoint = runs.checkpoint(integration.tenantId(), integration.id())
                .filter(cp -> cp.jobType() != JobType.WEBHOOK);
        List<EntityMapping> mappings = selectMappings(integration, job.entities());
        // A checkpoint means a run died mid-way: finish that run (its job type wins) before anything else.
        JobType jobType = checkpoint.map(SyncCheckpoint::jobType).orElse(job.jobType());
        RunId runId = checkpoint.map(SyncCheckpoint::runId).orElseGet(() -> RunId.of(Ids.timeOrdered(clock.instant())));
        SyncStats startStats = checkpoint.map(SyncCheckpoint::stats).orElse(SyncStats.EMPTY);
        Instant startedAt = checkpoint.flatMap(cp -> runs.run(integration.tenantId(), cp.runId()).map(SyncRun::startedAt))
                .orElse(clock.instant());
        SyncRun run = new SyncRun(runId, integration.id(), integration.tenantId(), jobType, RunStatus.RUNNING, startedAt, null,
                startStats, null, null, job.correlationId(), job.attempt(), checkpoint.isPresent());
        runs.saveRun(run);

        RunTally tally = new RunTally(startStats, settings.maxRecordErrors());
        boolean allFull = true;
        boolean resyncRequired = false;
        boolean truncated = false;
        int start = 0;
        if (checkpoint.isPresent()) {
            start = Math.max(0, indexOf(mappings, checkpoint.get().entity()));
        }
        try {
            for (int i = start; i < mappings.size() && !truncated; i++) {
                EntityMapping mapping = mappings.get(i);
                SyncCheckpoint resumeFrom = checkpoint.filter(cp -> cp.entity().equals(mapping.externalEntity())).orElse(null);
                EntityScan scan = new EntityScan(integration, mapping, adapter, runId, jobType, tally, resumeFrom, startedAt, job.guard());
                scan.execute();
                allFull &= scan.fullScanCompleted;
                resyncRequired |= scan.resyncRequired;
                truncated = scan.truncated;
                if (!truncated && i + 1 < mappings.size()) {
                    // Point a crash-resume at the next entity instead of re-reading this one.
                    runs.saveCheckpoint(new SyncCheckpoint(integration.tenantId(), integration.id(), runId, jobType,
                            mappings.get(i + 1).externalEntity(), PHASE_RECORDS, null, null, 0, tally.stats(), clock.instant()));
                }
            }
        } catch (RuntimeException e) {
            SyncRun failed = run.finished(RunStatus.FAILED, clock.instant(), tally.stats(), describe(e), tally.errors());
            runs.saveRun(failed);
            throw e;
        }
        if (!truncated) {
            runs.clearCheckpoint(integration.tenantId(), integration.id());
            runs.clearSeen(runId);
        }
        SyncStats stats = tally.stats();
        SyncRun done = run.finished(stats.failed() > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED, clock.instant(), stats, null, tally.errors());
        runs.saveRun(done);
        return new InboundOutcome(done, allFull && !truncated, resyncRequired, truncated);
    }

    private InboundOutcome runWebhook(InboundJob job, ProviderAdapter adapter) {
        Integration integration = job.integration();
        RunId runId = RunId.of(Ids.timeOrdered(clock.instant()));
        SyncRun run = new SyncRun(runId, integration.id(), integration.tenantId(), JobType.WEBHOOK, RunStatus.RUNNING,
                clock.instant(), null, null, null, null, job.correlationId(), job.attempt(), false);
        runs.saveRun(run);
        RunTally tally = new RunTally(SyncStats.EMPTY, settings.maxRecordErrors());
        try {
            List<ChangeNotice> notices = adapter.parseWebhook(job.webhookPayload());
            Map<String, List<ChangeNotice>> byEntity = new LinkedHashMap<>();
            for (ChangeNotice n : notices) {
                byEntity.computeIfAbsent(n.entity(), k -> new ArrayList<>()).add(n);
            }
            for (Map.Entry<String, List<ChangeNotice>> e : byEntity.entrySet()) {
                Optional<EntityMapping> mapping = integration.mappingForEntity(e.getKey());
                if (mapping.isEmpty()) {
                    log.debug("webhook for unmapped entity {} of integration {} ignored", e.getKey(), integration.id());
                    continue;
                }
                applyNotices(integration, mapping.get(), adapter, e.getValue(), tally);
            }
        } catch (RuntimeException e) {
            runs.saveRun(run.finished(RunStatus.FAILED, clock.instant(), tally.stats(), describe(e), tally.errors()));
            throw e;
        }
        SyncStats stats = tally.stats();
        SyncRun done = run.finished(stats.failed() > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED, clock.instant(), stats, null, tally.errors());
        runs.saveRun(done);
        return new InboundOutcome(done, false, false, false);
    }

    private void applyNotices(Integration integration, EntityMapping mapping, ProviderAdapter adapter, List<ChangeNotice> notices, RunTally tally) {
        RecordMapper mapper = new RecordMapper(mapping);
        PageApplier applier = new PageApplier(shards, integration, mapping, mapper, clock, settings.storeConflictRetries());
        List<ExternalRecord> ready = new ArrayList<>();
        List<String> refetch = new ArrayList<>();
        Set<String> topLevel = mapper.inboundTopLevelFields();
        for (ChangeNotice n : notices) {
            if (n.deleted()) {
                ready.add(ExternalRecord.tombstone(mapping.externalEntity(), n.externalId(), n.occurredAt()));
            } else if (n.record() != null && hasAll(n.record(), topLevel)) {
                ready.add(n.record());
            } else {
                refetch.add(n.externalId());
            }
        }
        if (!refetch.isEmpty()) {
            if (!adapter.capabilities().contains(Capability.FETCH_BY_IDS)) {
                throw new SyncException.Configuration("webhook names records without their fields, but the "
                        + integration.provider() + " adapter cannot fetch records by id");
            }
            for (int from = 0; from < refetch.size(); from += settings.pageSize()) {
                List<String> ids = refetch.subList(from, Math.min(refetch.size(), from + settings.pageSize()));
                ready.addAll(adapter.fetchByIds(mapping.externalEntity(), List.copyOf(ids), fieldsToRead(mapping)));
            }
        }
        for (int from = 0; from < ready.size(); from += settings.pageSize()) {
            applier.apply(ready.subList(from, Math.min(ready.size(), from + settings.pageSize())), tally);
        }
    }

    private static boolean hasAll(ExternalRecord record, Set<String> fields) {
        for (String f : fields) {
            if (!record.fields().has(f)) {
                return false;
            }
        }
        return true;
    }

    /** The mapped inbound fields, plus the external id field that marks records created by write-back. */
    static List<String> fieldsToRead(EntityMapping mapping) {
        List<String> fields = mapping.inboundExternalFields();
        if (mapping.externalIdField() == null || fields.contains(mapping.externalIdField())) {
            return fields;
        }
        List<String> withMarker = new ArrayList<>(fields);
        withMarker.add(mapping.externalIdField());
        return withMarker;
    }

    private static List<EntityMapping> selectMappings(Integration integration, List<String> entities) {
        List<EntityMapping> all = integration.structuredData().entityMappings();
        if (entities.isEmpty()) {
            return all;
        }
        for (String e : entities) {
            if (all.stream().noneMatch(m -> m.externalEntity().equals(e))) {
                throw new SyncException.Configuration("job names entity '" + e + "', which integration " + integration.id() + " does not map");
            }
        }
        return all.stream().filter(m -> entities.contains(m.externalEntity())).toList();
    }

    private static int indexOf(List<EntityMapping> mappings, String entity) {
        for (int i = 0; i < mappings.size(); i++) {
            if (mappings.get(i).externalEntity().equals(entity)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof SyncException se) {
            return se.code() + ": " + se.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** One entity's part of a scheduled run. */
    private final class EntityScan {
        private final Integration integration;
        private final EntityMapping mapping;
        private final ProviderAdapter adapter;
        private final RunId runId;
        private final JobType jobType;
        private final RunTally tally;
        private final RunGuard guard;
        private final SyncCheckpoint resumeFrom;
        private final PageApplier applier;
        private final Set<Capability> capabilities;
        private final Instant runStartedAt;
        boolean fullScanCompleted;
        boolean resyncRequired;
        boolean truncated;
        private long pages;
        /**
         * Whether this full scan records what it sees for the sweep. The sweep only looks at links
         * synced before the run started, so a fresh (not resumed) scan that finds no linked shard at
         * all has nothing to sweep, and its seen-set and sweep would be pure cost (every shard it
         * creates would be read back once more). A resumed scan cannot know what its first attempt
         * found and keeps both.
         */
        private boolean recordsSeen = true;
        /** The scan's fetching stage while it runs ({@code null}: pages are fetched one at a time). */
        private PageFeed<PageApplier.Premapped> feed;

        EntityScan(Integration integration, EntityMapping mapping, ProviderAdapter adapter, RunId runId, JobType jobType,
                   RunTally tally, SyncCheckpoint resumeFrom, Instant runStartedAt, RunGuard guard) {
            this.guard = guard;
            this.runStartedAt = runStartedAt;
            this.integration = integration;
            this.mapping = mapping;
            this.adapter = adapter;
            this.runId = runId;
            this.jobType = jobType;
            this.tally = tally;
            this.resumeFrom = resumeFrom;
            this.applier = new PageApplier(shards, integration, mapping, new RecordMapper(mapping), clock, settings.storeConflictRetries());
            this.capabilities = adapter.capabilities();
            this.pages = resumeFrom == null ? 0 : resumeFrom.pages();
        }

        void execute() {
            EntitySyncState state = runs.entityState(integration.tenantId(), integration.id(), mapping.externalEntity())
                    .orElse(EntitySyncState.initial(integration.tenantId(), integration.id(), mapping.externalEntity()));
            boolean delta = capabilities.contains(Capability.DELTA);
            boolean incremental = capabilities.contains(Capability.INCREMENTAL);
            boolean full = jobType == JobType.FULL_SYNC
                    || (delta ? state.deltaToken() == null : (!incremental || state.watermark() == null));
            // The run's start, not this attempt's: a resumed scan began before the crash.
            Instant scanStartedAt = runStartedAt;

            if (resumeFrom == null || PHASE_RECORDS.equals(resumeFrom.phase())) {
                ScanResult records = scanRecords(state, full, delta, incremental);
                if (truncated) {
                    return;
                }
                state = state.withWatermark(Watermark.max(state.watermark(), records.watermark));
                if (delta) {
                    state = state.withDeltaToken(records.deltaToken);
                }
                if (full) {
                    // Deletions before the scan are settled by the sweep; the delete feed takes over from here.
                    state = state.withDeletedWatermark(scanStartedAt.minus(settings.overlap())).withLastFullScanAt(clock.instant());
                    guard.check();
                    if (recordsSeen) {
                        sweep(scanStartedAt);
                    }
                    fullScanCompleted = true;
                }
                runs.saveEntityState(state);
            }
            if (!full && capabilities.contains(Capability.DELETED_FEED)) {
                state = scanDeletes(state);
                runs.saveEntityState(state);
            }
        }

        private ScanResult scanRecords(EntitySyncState state, boolean full, boolean delta, boolean incremental) {
            String deltaToken = full || !delta ? null : state.deltaToken();
            // Only a scan in (stamp, id) order can be continued from a watermark; a delta scan runs in the
            // provider's change order and is positioned by its token and cursor alone.
            boolean stampOrdered = incremental && deltaToken == null;
            Watermark since = full || !stampOrdered || state.watermark() == null ? null : overlapped(state.watermark().stamp());
            Watermark running = null;
            String cursor = null;
            if (resumeFrom != null) {
                running = resumeFrom.watermark();
                if (stampOrdered && running != null) {
                    // Everything up to the checkpoint's watermark is durably written: continue right after it.
                    since = Watermark.max(since, running);
                } else {
                    cursor = resumeFrom.cursor();
                }
            }
            FetchRequest request = new FetchRequest(mapping.externalEntity(), fieldsToRead(mapping), filters(),
                    since, cursor, deltaToken, settings.pageSize());
            Watermark scanSince = since;
            if (full && resumeFrom == null) {
                recordsSeen = !shards.listLinkStates(integration.tenantId(), integration.id(), mapping.externalEntity(), null, 1).isEmpty();
            }
            int restarts = 0;
            // A pipeline on virtual threads: while this page is written, the next one is planned
            // and serialised, the one after it is fetched, parsed and mapped (PageFeed), and this
            // page's seen marks are written: the provider, the mapping and the store work at the
            // same time. At most FETCH_AHEAD + 3 pages are held (one being fetched, FETCH_AHEAD
            // fetched, one planned, one written), so memory stays flat.
            boolean markSeen = full && recordsSeen;
            feed = openFeed(request);
            Prefetch<PreparedPage> pending = prepareAhead(request);
            PageApplier.Applied lastApplied = null;
            try {
                while (true) {
                    Page page;
                    PageApplier.Prepared planned;
                    try {
                        PreparedPage prepared = pending.join();
                        page = prepared.page();
                        planned = prepared.planned();
                    } catch (SyncException.NotFound e) {
                        if (request.cursor() == null || restarts++ >= MAX_CURSOR_RESTARTS) {
                            throw e;
                        }
                        if (stampOrdered) {
                            log.info("cursor of {} {} expired; restarting the scan after the last written record", integration.id(), mapping.externalEntity());
                            request = request.withCursor(null).withSince(Watermark.max(request.since(), running));
                        } else {
                            // Without a stamp order nothing tells where to continue: read the scan again from its start
                            // (the content hash makes re-read records free; a full scan's seen-set stays valid).
                            log.info("cursor of {} {} expired; restarting the scan from its start", integration.id(), mapping.externalEntity());
                            request = request.withCursor(null).withSince(scanSince);
                        }
                        closeFeed();
                        feed = openFeed(request);
                        pending = prepareAhead(request);
                        continue;
                    }
                    guard.check();
                    FetchRequest next = page.done() ? null : request.withCursor(page.nextCursor());
                    boolean capReached = settings.maxRecordsPerSync() > 0
                            && tally.seenThisAttempt() + page.records().size() >= settings.maxRecordsPerSync();
                    pending = next == null || capReached ? null : prepareAhead(next);
                    Prefetch<Void> marking = markSeen && !page.records().isEmpty() ? markAhead(page) : null;
                    try {
                        lastApplied = applier.apply(planned, lastApplied, tally);
                    } catch (RuntimeException e) {
                        if (marking != null) {
                            marking.abandon();
                        }
                        throw e;
                    }
                    if (marking != null) {
                        marking.join();
                    }
                    for (ExternalRecord r : page.records()) {
                        running = Watermark.max(running, r.watermark());
                    }
                    pages++;
                    if (page.done()) {
                        return new ScanResult(running, page.deltaToken());
                    }
                    saveCheckpoint(PHASE_RECORDS, page.nextCursor(), running);
                    if (settings.maxRecordsPerSync() > 0 && tally.seenThisAttempt() >= settings.maxRecordsPerSync()) {
                        truncated = true;
                        return new ScanResult(running, null);
                    }
                    request = next;
                    if (pending == null) {
                        pending = prepareAhead(request);
                    }
                }
            } finally {
                if (pending != null) {
                    pending.abandon();
                }
                closeFeed();
            }
        }

        /**
         * The fetching stage from {@code request} on, or {@code null} with a record cap: the scan
         * may then stop at any page, and a page fetched ahead of the cap would be a wasted call.
         */
        private PageFeed<PageApplier.Premapped> openFeed(FetchRequest request) {
            if (settings.maxRecordsPerSync() > 0) {
                return null;
            }
            return new PageFeed<>("page-fetch", request, FETCH_AHEAD, adapter::fetch, page -> applier.premap(page.records()));
        }

        private void closeFeed() {
            if (feed != null) {
                feed.close();
                feed = null;
            }
        }

        /**
         * Takes the page of {@code request} from the feed (or, without one, fetches and maps it
         * here) and prepares its write off the scan's thread: planned against the store as it is
         * while the page before is written (the applier re-plans what that write may have
         * changed), documents serialised.
         */
        private Prefetch<PreparedPage> prepareAhead(FetchRequest request) {
            PageFeed<PageApplier.Premapped> from = feed;
            return new Prefetch<>("page-prefetch", () -> {
                Page page;
                PageApplier.Premapped premapped;
                if (from != null) {
                    PageFeed.Fetched<PageApplier.Premapped> fetched = from.next();
                    page = fetched.page();
                    premapped = fetched.prepared();
                } else {
                    page = adapter.fetch(request);
                    premapped = applier.premap(page.records());
                }
                return new PreparedPage(page, applier.prepare(page.records(), premapped));
            });
        }

        /**
         * Adds a page's ids to the run's seen-set while the page is applied; the scan waits for it
         * before the page's checkpoint. A mark may land before the page's write: a scan resumed
         * from an earlier checkpoint reads and marks the page again (marking is idempotent), and
         * only a complete scan sweeps, so an early mark never spares a record the scan did not see.
         */
        private Prefetch<Void> markAhead(Page page) {
            List<String> ids = page.records().stream().map(ExternalRecord::id).toList();
            return new Prefetch<>("seen-marks", () -> {
                runs.markSeen(runId, mapping.externalEntity(), ids);
                return null;
            });
        }

        private Prefetch<List<LinkState>> listAhead(ShardId after) {
            return new Prefetch<>("sweep-prefetch", () -> shards.listLinkStates(integration.tenantId(), integration.id(),
                    mapping.externalEntity(), after, settings.sweepBatchSize()));
        }

        private EntitySyncState scanDeletes(EntitySyncState state) {
            Instant from = state.deletedWatermark() != null ? state.deletedWatermark()
                    : state.watermark() != null ? state.watermark().stamp() : null;
            Watermark since = from == null ? null : new Watermark(from.minus(settings.overlap()), "");
            FetchRequest request = new FetchRequest(mapping.externalEntity(), List.of(), List.of(), since, null, null, settings.pageSize());
            Instant highest = state.deletedWatermark();
            try {
                while (true) {
                    Page page = adapter.fetchDeleted(request);
                    List<ExternalRecord> tombstones = page.records().stream().map(r -> r.deleted() ? r
                            : ExternalRecord.tombstone(r.entity(), r.id(), r.modifiedAt())).toList();
                    guard.check();
                    applier.apply(tombstones, tally);
                    for (ExternalRecord r : tombstones) {
                        if (r.modifiedAt() != null && (highest == null || r.modifiedAt().isAfter(highest))) {
                            highest = r.modifiedAt();
                        }
                    }
                    pages++;
                    if (page.done()) {
                        break;
                    }
                    saveCheckpoint(PHASE_DELETES, page.nextCursor(), null);
                    request = request.withCursor(page.nextCursor());
                }
            } catch (SyncException.Validation e) {
                log.warn("delete feed of {} {} no longer covers {}: next sync will be a full scan ({})",
                        integration.id(), mapping.externalEntity(), since, e.getMessage());
                resyncRequired = true;
                return state.withLastFullScanAt(null);
            }
            // A delete log read to its end has shown every deletion stamped up to the records' watermark
            // (a provider stamp read before this scan; the next scan still starts an overlap earlier), so
            // the position follows the records even when nothing was deleted: otherwise a quiet log would
            // outlive the provider's retention (Salesforce keeps 30 days) and force a full resync.
            Instant recordsSeen = state.watermark() == null ? null : state.watermark().stamp();
            Instant next = highest == null || (recordsSeen != null && recordsSeen.isAfter(highest)) ? recordsSeen : highest;
            return next == null ? state : state.withDeletedWatermark(next);
        }

        /**
         * Walks the entity's link states (no shard documents) a batch at a time, the next batch
         * read while the current one is checked, and hands the links whose record the scan did
         * not see to the applier, which reads only the shards it changes.
         */
        private void sweep(Instant scanStartedAt) {
            Prefetch<List<LinkState>> pending = listAhead(null);
            try {
                while (true) {
                    List<LinkState> batch = pending.join();
                    if (batch.isEmpty()) {
                        pending = null;
                        return;
                    }
                    // The next batch starts after this one's last shard: applying this one's verdicts
                    // (deleting or unlinking its shards) cannot change it.
                    pending = listAhead(batch.get(batch.size() - 1).shardId());
                    List<String> ids = new ArrayList<>(batch.size());
                    for (LinkState link : batch) {
                        if (link.externalId() != null) {
                            ids.add(link.externalId());
                        }
                    }
                    Set<String> seen = runs.seenAmong(runId, mapping.externalEntity(), ids);
                    List<LinkState> unseen = new ArrayList<>();
                    for (LinkState link : batch) {
                        // Links made after the scan began (write-back creates) may legitimately be unseen.
                        if (link.externalId() != null && link.lastSyncedAt() != null && link.lastSyncedAt().isBefore(scanStartedAt)
                                && !seen.contains(link.externalId())) {
                            unseen.add(link);
                        }
                    }
                    guard.check();
                    applier.sweep(unseen, tally);
                }
            } finally {
                if (pending != null) {
                    pending.abandon();
                }
            }
        }

        private Watermark overlapped(Instant stamp) {
            return new Watermark(stamp.minus(settings.overlap()), "");
        }

        private List<PullFilter> filters() {
            return integration.structuredData().pullFilters().stream().filter(f -> f.appliesTo(mapping.externalEntity())).toList();
        }

        private void saveCheckpoint(String phase, String cursor, Watermark watermark) {
            runs.saveCheckpoint(new SyncCheckpoint(integration.tenantId(), integration.id(), runId, jobType, mapping.externalEntity(),
                    phase, cursor, watermark, pages, tally.stats(), clock.instant()));
        }
    }

    private record ScanResult(Watermark watermark, String deltaToken) {
    }

    /** How long an abandoned stage of a scan is waited for before the scan lets it finish alone. */
    static final Duration STAGE_END_WAIT = Duration.ofSeconds(5);

    /** Waits up to {@link #STAGE_END_WAIT} for {@code stage} to end; keeps an interrupt for the caller. */
    static void awaitEnd(Thread stage) {
        try {
            if (!stage.join(STAGE_END_WAIT)) {
                log.warn("a stage of an abandoned scan ({}) is still running; it will end on its own", stage.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fetched page with its write prepared ahead. */
    private record PreparedPage(Page page, PageApplier.Prepared planned) {
    }

    /**
     * Work started on its own virtual thread whose result is taken later: the next page of a scan
     * (HTTP and parsing) while the current one is applied, or the sweep's next batch of link
     * states while the current batch is checked. At most one is pending per scan, so memory
     * stays flat.
     */
    private static final class Prefetch<T> {
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final Thread thread;

        Prefetch(String name, Supplier<T> work) {
            thread = Thread.ofVirtual().name(name).start(() -> {
                try {
                    result.complete(work.get());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }

        /** The result, or the work's own exception as it threw it. */
        T join() {
            try {
                return result.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        /**
         * The result will not be used: interrupts work that waits (an HTTP exchange, a pause) and
         * waits a moment for it to end, so that no stage of a finished scan still reads the
         * store or calls the provider.
         */
        void abandon() {
            thread.interrupt();
            awaitEnd(thread);
        }
    }
}
