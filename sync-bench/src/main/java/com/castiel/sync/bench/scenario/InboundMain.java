package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.engine.EngineUnderTest;
import com.castiel.sync.bench.engine.HeapWatch;
import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildOutput;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.bench.process.ProcessCpu;
import com.castiel.sync.bench.process.OrgCoordinates;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.outbound.OutboundSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child role {@code inbound}: full syncs of every Account of the fake org into a fresh embedded
 * store, timed on the wall clock, as scenarios 1–4 need them.
 *
 * <ol>
 *   <li>optional JIT warm-up: a sync capped at {@code --warmup} records into a throwaway store
 *       (a long-running server is warm; the first minutes of a fresh JVM are not what we judge);</li>
 *   <li>the measured first sync (every record created);</li>
 *   <li>with {@code --resync}: the same full sync again, counting shard writes (expected: none)
 *       and the bookkeeping rows of the sweep;</li>
 *   <li>with {@code --heap-mark N}: the live heap after a full collection once N records are
 *       written (at a page boundary) and again at the end.</li>
 * </ol>
 * Prints one {@code RESULT} line.
 *
 * <p>The integration keeps Salesforce's default request limits (25/s, paced by the engine's
 * limiter) unless {@code --requests-per-second N} overrides them: the scenarios that measure the
 * engine against the machine's limits run against an org with no cap and lift the engine's own
 * cap too, so that it is not what they measure; the rate-limited scenario keeps the default.
 *
 * <p>Arguments: {@code --org <coordinates json> --data <dir> [--warmup N] [--resync] [--heap-mark N]
 * [--requests-per-second N]}.
 */
public final class InboundMain {

    private static final IntegrationId INTEGRATION = IntegrationId.of("bench-accounts");

    private InboundMain() {
    }

    public static void main(String[] argv) {
        ChildArgs args = ChildArgs.parse(argv, 0);
        OrgCoordinates org = OrgCoordinates.fromJson(args.text("org"));
        Path data = args.path("data");
        long warmup = args.number("warmup", 0);
        long heapMark = args.number("heap-mark", 0);
        long perSecond = args.number("requests-per-second", 0);
        RateLimitSettings limits = perSecond > 0 ? new RateLimitSettings(Math.toIntExact(perSecond), null, null) : null;
        Clock clock = Clock.systemUTC();
        HeapWatch heap = HeapWatch.install();
        ObjectNode out = SyncJson.object();

        if (warmup > 0) {
            Path scratch = data.resolveSibling(data.getFileName() + "-warmup");
            try (EngineUnderTest warm = EngineUnderTest.open(scratch, clock,
                    InboundSettings.defaults().withMaxRecordsPerSync(warmup), OutboundSettings.defaults())) {
                warm.addAccountIntegration(INTEGRATION, org, false, ConflictResolution.EXTERNAL_WINS, List.of(), limits);
                EngineUnderTest.TimedRun w = warm.sync(INTEGRATION, JobType.FULL_SYNC);
                out.put("warmupRecords", w.run().stats().total());
                out.put("warmupSeconds", w.seconds());
            } finally {
                DataDirs.delete(scratch);
            }
        }

        try (EngineUnderTest engine = EngineUnderTest.open(data, clock, InboundSettings.defaults(), OutboundSettings.defaults())) {
            engine.addAccountIntegration(INTEGRATION, org, false, ConflictResolution.EXTERNAL_WINS, List.of(), limits);
            AtomicLong liveAtMark = new AtomicLong(-1);
            AtomicLong recordsAtMark = new AtomicLong(-1);
            AtomicLong maxAfterGcAtMark = new AtomicLong(-1);
            if (heapMark > 0) {
                engine.runs().onCheckpoint(cp -> {
                    if (liveAtMark.get() < 0 && cp.stats() != null && cp.stats().total() >= heapMark) {
                        maxAfterGcAtMark.set(heap.maxAfterGc());
                        liveAtMark.set(HeapWatch.liveHeapAfterFullGc());
                        recordsAtMark.set(cp.stats().total());
                    }
                });
            }
            long requests0 = engine.transport().exchanges();
            long bytes0 = engine.transport().bytesIn();
            long refused0 = engine.transport().refused();
            double cpu0 = ProcessCpu.seconds();
            ChildOutput.phase("first-start");
            long firstStart = System.currentTimeMillis();
            EngineUnderTest.TimedRun first = engine.sync(INTEGRATION, JobType.FULL_SYNC);
            long firstEnd = System.currentTimeMillis();
            ChildOutput.phase("first-end");
            double cpu1 = ProcessCpu.seconds();
            ObjectNode f = out.putObject("first");
            put(f, first);
            f.put("startMillis", firstStart);
            f.put("endMillis", firstEnd);
            f.put("requests", engine.transport().exchanges() - requests0);
            f.put("bytes", engine.transport().bytesIn() - bytes0);
            f.put("refused", engine.transport().refused() - refused0);
            f.put("cpuSeconds", cpu1 - cpu0);
            f.put("shardsWritten", engine.shards().shardsWritten());
            out.put("query", engine.transport().firstQuery());
            out.put("databaseFile", engine.storage().databaseFile().toString());

            if (heapMark > 0) {
                ObjectNode h = out.putObject("heap");
                h.put("markRecords", recordsAtMark.get());
                h.put("liveAtMark", liveAtMark.get());
                h.put("maxAfterGcAtMark", maxAfterGcAtMark.get());
                h.put("maxAfterGcAtEnd", heap.maxAfterGc());
                h.put("liveAtEnd", HeapWatch.liveHeapAfterFullGc());
                h.put("peakPoolUsage", HeapWatch.peakPoolUsage());
                h.put("maxHeap", HeapWatch.maxHeap());
            }

            if (args.flag("resync")) {
                long written0 = engine.shards().shardsWritten();
                long batches0 = engine.shards().writeBatches();
                long seen0 = engine.runs().seenMarks();
                long checkpoints0 = engine.runs().checkpoints();
                double cpu2 = ProcessCpu.seconds();
                ChildOutput.phase("resync-start");
                long againStart = System.currentTimeMillis();
                EngineUnderTest.TimedRun again = engine.sync(INTEGRATION, JobType.FULL_SYNC);
                long againEnd = System.currentTimeMillis();
                ChildOutput.phase("resync-end");
                ObjectNode r = out.putObject("resync");
                put(r, again);
                r.put("startMillis", againStart);
                r.put("endMillis", againEnd);
                r.put("cpuSeconds", ProcessCpu.seconds() - cpu2);
                r.put("shardsWritten", engine.shards().shardsWritten() - written0);
                r.put("writeBatches", engine.shards().writeBatches() - batches0);
                r.put("seenMarks", engine.runs().seenMarks() - seen0);
                r.put("checkpoints", engine.runs().checkpoints() - checkpoints0);
            }
        }
        out.put("dataBytes", DataDirs.size(data));
        heap.close();
        ChildOutput.result(out);
    }

    private static void put(ObjectNode o, EngineUnderTest.TimedRun t) {
        SyncStats s = t.run().stats();
        o.put("seconds", t.seconds());
        o.put("records", s.total());
        o.put("created", s.created());
        o.put("updated", s.updated());
        o.put("unchanged", s.unchanged());
        o.put("failed", s.failed());
        o.put("recordsPerSecond", t.recordsPerSecond());
    }
}
