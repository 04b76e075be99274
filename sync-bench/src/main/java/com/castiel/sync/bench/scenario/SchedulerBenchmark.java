package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.BenchContext;
import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildJvm;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.bench.report.Measure;
import com.castiel.sync.bench.report.ResultsDocument;
import com.castiel.sync.bench.report.Samples;
import com.castiel.sync.bench.report.ScenarioResult;
import com.castiel.sync.bench.report.Target;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Scenario 6: one scheduler tick with 100,000 integrations in the embedded store. Per repeat
 * (fresh store, fresh JVM) the median and the slowest of its ticks.
 */
public final class SchedulerBenchmark {

    static final double MAX_TICK_MILLIS = 50;

    private final BenchContext ctx;

    public SchedulerBenchmark(BenchContext ctx) {
        this.ctx = ctx;
    }

    public ScenarioResult run() {
        List<ObjectNode> runs = new ArrayList<>();
        for (int r = 1; r <= ctx.sizes().repeats(); r++) {
            Path data = ctx.workDir().resolve("scheduler-" + r);
            DataDirs.delete(data);
            try {
                ObjectNode o = ChildJvm.run("scheduler", List.of("-Xmx1g"), ChildArgs.of("data", data.toString(),
                        "integrations", Integer.toString(ctx.sizes().integrations()), "ticks", Integer.toString(ctx.sizes().ticks())),
                        ctx.log("scheduler-" + r), Duration.ofSeconds(300 + ctx.sizes().integrations() / 500)).get(0);
                runs.add(o);
                ctx.say("  scheduler repeat %d: %,d integrations stored in %.1f s; busy tick median %.1f ms, idle tick median %.2f ms",
                        r, o.path("integrations").asLong(), o.path("fillSeconds").asDouble(), median(o.path("busyTickMillis")),
                        median(o.path("idleTickMillis")));
            } finally {
                DataDirs.delete(data);
            }
        }
        Samples busy = per(runs, o -> median(o.path("busyTickMillis")));
        Samples busyMax = per(runs, o -> max(o.path("busyTickMillis")));
        Samples idle = per(runs, o -> median(o.path("idleTickMillis")));
        Samples select = per(runs, o -> median(o.path("selectMillis")));
        Samples bare = per(runs, o -> median(o.path("bareSelectMillis")));
        String n = String.format(Locale.ROOT, "%,d", ctx.sizes().integrations());
        List<Measure> rows = List.of(
                new Measure("6", "Scheduler tick claiming a full batch (100 due), median tick", "ms", busy, "50 ms target",
                        busy.over(MAX_TICK_MILLIS), List.of(), "`SyncScheduler.tick()`: due query, then per integration a"
                        + " compare-and-set of `nextSyncAt` and a durable send to `sync-inbound-scheduled`.")
                        .withTargets(new Target.AtMost(MAX_TICK_MILLIS)),
                Measure.reference("6a", "Slowest busy tick", "ms", busyMax, null),
                Measure.reference("6b", "Idle tick (nothing due)", "ms", idle, null),
                Measure.reference("6c", "Due-integration selection alone (`findDue`, 100 of " + n + ")", "ms", select, null)
                        .withRatio("bare query (6d)", select.over(bare)),
                Measure.reference("6d", "Limit: the same due query on a bare JDBC connection, no parsing", "ms", bare,
                        "the index range scan SQLite needs for the due query, the floor of any selection."));
        rows.forEach(m -> ctx.say("%s", ResultsDocument.line(m)));
        return new ScenarioResult(6, "Scheduler tick", n + " hourly integrations in the store, slots spread over the hour, "
                + ctx.sizes().ticks() + " ticks of each kind per repeat", rows, List.of(), null);
    }

    private static Samples per(List<ObjectNode> runs, Function<ObjectNode, Double> f) {
        return Samples.of(runs.stream().mapToDouble(f::apply).toArray());
    }

    private static double median(JsonNode values) {
        return Samples.of(doubles(values)).median();
    }

    private static double max(JsonNode values) {
        return Samples.of(doubles(values)).max();
    }

    private static double[] doubles(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }
}
