package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.BenchContext;
import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildJvm;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.bench.process.FakeOrg;
import com.castiel.sync.bench.report.Measure;
import com.castiel.sync.bench.report.ResultsDocument;
import com.castiel.sync.bench.report.Samples;
import com.castiel.sync.bench.report.ScenarioResult;
import com.castiel.sync.bench.report.Target;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Scenario 4: memory stays flat. One full sync of every Account of a large fake org in a fresh
 * JVM with {@code -Xmx256m} (the fake org runs in its own JVM), with the live heap read after a
 * full collection at the first mark (100,000 records in the full run) and at the end.
 */
public final class MemoryBenchmark {

    /** The heap the brief gives the engine. */
    static final String HEAP = "-Xmx256m";
    /** "Flat": the live heap at the end may exceed the one at the first mark by at most this factor. */
    static final double FLAT = 1.25;
    private static final double MIB = 1024.0 * 1024.0;

    private final BenchContext ctx;

    public MemoryBenchmark(BenchContext ctx) {
        this.ctx = ctx;
    }

    public ScenarioResult run(FakeOrg org) {
        List<ObjectNode> runs = new ArrayList<>();
        for (int r = 1; r <= ctx.sizes().repeats(); r++) {
            Path data = ctx.workDir().resolve("memory-" + r);
            DataDirs.delete(data);
            try {
                ObjectNode result = ChildJvm.run("inbound", List.of(HEAP), ChildArgs.of("org", org.coordinates().toJson(),
                                "data", data.toString(), "heap-mark", Integer.toString(ctx.sizes().memoryMark()), "requests-per-second", InboundBenchmark.UNCAPPED_REQUESTS_PER_SECOND), ctx.log("memory-" + r),
                        InboundBenchmark.timeout(ctx.sizes().memoryRecords())).get(0);
                runs.add(result);
                ctx.say("  memory repeat %d: %,d records at %,.0f records/s; live heap %.1f MiB at %,d records, %.1f MiB at the end",
                        r, result.path("first").path("records").asLong(), result.path("first").path("recordsPerSecond").asDouble(),
                        result.path("heap").path("liveAtMark").asDouble() / MIB, result.path("heap").path("markRecords").asLong(),
                        result.path("heap").path("liveAtEnd").asDouble() / MIB);
            } finally {
                DataDirs.delete(data);
            }
        }
        Samples atMark = mib(runs, o -> o.path("heap").path("liveAtMark").asDouble());
        Samples atEnd = mib(runs, o -> o.path("heap").path("liveAtEnd").asDouble());
        Samples maxAfterGcMark = mib(runs, o -> o.path("heap").path("maxAfterGcAtMark").asDouble());
        Samples maxAfterGcEnd = mib(runs, o -> o.path("heap").path("maxAfterGcAtEnd").asDouble());
        Samples peak = mib(runs, o -> o.path("heap").path("peakPoolUsage").asDouble());
        Samples rate = Samples.of(runs.stream().mapToDouble(o -> o.path("first").path("recordsPerSecond").asDouble()).toArray());
        String mark = String.format(Locale.ROOT, "%,d", ctx.sizes().memoryMark());
        String all = String.format(Locale.ROOT, "%,d", ctx.sizes().memoryRecords());
        List<Measure> rows = List.of(
                new Measure("4", "Live heap after a full GC at the end (" + all + " records)", "MiB", atEnd, "live heap at " + mark,
                        atEnd.over(atMark), List.of(), "`System.gc()` then heap used, with the engine and its storage still open.")
                        .withTargets(new Target.RatioAtMost(FLAT)),
                Measure.reference("4a", "Live heap after a full GC at " + mark + " records", "MiB", atMark,
                        "taken at the first page boundary past the mark, from the checkpoint the pipeline saves there."),
                Measure.reference("4b", "Largest heap after any GC, up to " + mark, "MiB", maxAfterGcMark,
                        "from the collectors' notifications: what survived each collection, garbage awaiting an old-generation"
                                + " cycle included."),
                Measure.reference("4c", "Largest heap after any GC, whole sync", "MiB", maxAfterGcEnd, null)
                        .withRatio("4b", maxAfterGcEnd.over(maxAfterGcMark)),
                Measure.reference("4d", "Peak heap pool occupancy (garbage included)", "MiB", peak, "of the 256 MiB allowed."),
                Measure.reference("4e", "Sync rate with -Xmx256m, cold JVM", "records/s", rate, "no warm-up sync: JIT compilation included."));
        rows.forEach(m -> ctx.say("%s", ResultsDocument.line(m)));
        List<String> remarks = new ArrayList<>();
        for (ObjectNode o : runs) {
            if (o.path("first").path("records").asLong() != ctx.sizes().memoryRecords()) {
                remarks.add("A repeat synced " + o.path("first").path("records").asLong() + " records instead of " + all + ".");
            }
        }
        return new ScenarioResult(4, "Memory with -Xmx256m", all + " Accounts per sync, first reading at " + mark + " records, "
                + "the fake org in its own JVM", rows, remarks, null);
    }

    private static Samples mib(List<ObjectNode> runs, ToDoubleFunction<ObjectNode> bytes) {
        return Samples.of(runs.stream().mapToDouble(o -> bytes.applyAsDouble(o) / MIB).toArray());
    }
}
