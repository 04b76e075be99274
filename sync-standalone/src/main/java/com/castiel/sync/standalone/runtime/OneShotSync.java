package com.castiel.sync.standalone.runtime;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.inbound.InboundJob;
import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunStatus;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.schedule.SyncSchedule;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one integration's sync now, in the calling thread, outside the queues (the {@code sync}
 * command and the demo's phases). A run cut short by {@code maxRecordsPerSync} is continued from
 * its checkpoint until the scan is complete, so one call syncs everything. A run left by a crash
 * is resumed first (the pipeline's rule). Successful scheduled runs record
 * {@code lastSyncAt}/{@code lastFullSyncAt} on the integration, as the workers do.
 *
 * <p>Not thread-safe per integration: two one-shot syncs of one integration must not overlap
 * (the data directory lock keeps a worker process away meanwhile).
 */
public final class OneShotSync {

    private static final int CAS_ATTEMPTS = 5;
    private final SyncEngine engine;
    private final Clock clock;
    private final SyncSchedule schedule = new SyncSchedule();

    public OneShotSync(SyncEngine engine, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What the sync did.
     *
     * @param jobType the job type run
     * @param stats counts over all runs of this call
     * @param pages pages read
     * @param records records read
     * @param elapsed wall time
     * @param status outcome of the last run ({@code failed} when it threw)
     * @param error the failure, or {@code null}
     * @param runs runs made (more than one when continued after {@code maxRecordsPerSync})
     */
    public record Result(JobType jobType, SyncStats stats, long pages, long records, Duration elapsed, RunStatus status, String error,
                         int runs) {

        /** True when every run succeeded without a failed record. */
        public boolean succeeded() {
            return status == RunStatus.SUCCEEDED && stats.failed() == 0;
        }

        /** Records read per second of wall time. */
        public double recordsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? records : records / s;
        }
    }

    /**
     * @param jobType {@code full_sync}, {@code incremental}, or {@code null} to let the schedule decide
     * @param progress told after each page read (pages, records so far)
     */
    public Result run(Integration integration, JobType jobType, ProgressListener progress) {
        Instant started = clock.instant();
        JobType type = jobType != null ? jobType : schedule.jobTypeFor(integration.structuredData(), started);
        String correlationId = Ids.timeOrdered(started);
        SyncStats total = SyncStats.EMPTY;
        long pages = 0;
        long records = 0;
        int runs = 0;
        Integration current = integration;
        try (CountingAdapter adapter = new CountingAdapter(engine.adapters().open(integration), progress::afterPage)) {
            while (true) {
                runs++;
                InboundOutcome outcome;
                try {
                    outcome = engine.inbound().run(new InboundJob(current, type, null, null, correlationId, 1), adapter);
                } catch (SyncException | StoreConflictException e) {
                    String message = e instanceof SyncException se ? se.code() + ": " + se.getMessage() : e.getMessage();
                    return new Result(type, failedStats(current, correlationId, total), adapter.pages(), adapter.records(),
                            Duration.between(started, clock.instant()), RunStatus.FAILED, message, runs);
                }
                SyncRun run = outcome.run();
                // a continued (or crash-resumed) run carries the counts of the whole run so far
                total = run.stats();
                pages = adapter.pages();
                records = adapter.records();
                current = recordSync(current, outcome);
                if (!outcome.truncated()) {
                    return new Result(run.jobType(), total, pages, records, Duration.between(started, clock.instant()), run.status(),
                            run.error(), runs);
                }
            }
        }
    }

    /** The counts a failed run saved before it failed (its history entry), else the counts so far. */
    private SyncStats failedStats(Integration integration, String correlationId, SyncStats sofar) {
        return engine.ports().runs().history(integration.tenantId(), integration.id(), 1).stream()
                .filter(r -> correlationId.equals(r.correlationId())).findFirst().map(SyncRun::stats).orElse(sofar);
    }

    private Integration recordSync(Integration integration, InboundOutcome outcome) {
        Instant finished = outcome.run().finishedAt();
        Integration current = integration;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Integration next = current.withData(d -> {
                var n = outcome.truncated() ? d : d.withLastSyncAt(finished);
                if (outcome.fullScanCompleted()) {
                    n = n.withLastFullSyncAt(finished);
                }
                if (outcome.fullResyncRequired()) {
                    n = n.withLastFullSyncAt(null);
                }
                return n;
            });
            try {
                return engine.ports().integrations().update(next);
            } catch (StoreConflictException e) {
                Optional<Integration> reread = engine.ports().integrations().get(integration.tenantId(), integration.id());
                if (reread.isEmpty()) {
                    return current;
                }
                current = reread.get();
            }
        }
        return current;
    }

    /** Told after each page a sync reads. */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * Called with the totals so far, on the thread that read the page (a scan reads ahead on
         * its own virtual thread), one page at a time.
         */
        void afterPage(long pages, long records);

        ProgressListener NONE = (p, r) -> { };
    }
}
