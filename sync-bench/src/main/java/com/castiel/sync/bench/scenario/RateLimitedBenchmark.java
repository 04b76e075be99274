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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 3: efficiency under Salesforce's documented 25 requests per second, enforced by the
 * fake org (403 {@code REQUEST_LIMIT_EXCEEDED} beyond it). Inbound is judged against
 * 25 × 2,000 records/s (full query pages), write-back against 25 × 200 records/s (full sObject
 * Collections), the best a client can do under that cap.
 */
public final class RateLimitedBenchmark {

    /** Salesforce's documented request rate (the seed's default for the provider). */
    public static final int REQUESTS_PER_SECOND = 25;
    static final double INBOUND_CEILING = REQUESTS_PER_SECOND * 2000.0;
    static final double WRITE_BACK_CEILING = REQUESTS_PER_SECOND * 200.0;

    private final BenchContext ctx;

    public RateLimitedBenchmark(BenchContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs the repeats against {@code org} (left uncapped afterwards).
     *
     * @param unconstrained scenario 1's engine rate, repeat by repeat, or {@code null}
     */
    public ScenarioResult run(FakeOrg org, Samples unconstrained) {
        List<ObjectNode> inbound = new ArrayList<>();
        List<ObjectNode> castielWins = new ArrayList<>();
        List<ObjectNode> newestWins = new ArrayList<>();
        try {
            for (int r = 1; r <= ctx.sizes().repeats(); r++) {
                org.rateLimit(REQUESTS_PER_SECOND);
                inbound.add(inbound(org, r));
                castielWins.add(writeBack(org, r, "castiel_wins"));
                if (ctx.sizes().writeBackPolicies().contains("newest_wins")) {
                    newestWins.add(writeBack(org, r, "newest_wins"));
                }
                ctx.say("  rate-limited repeat %d: inbound %,.0f records/s (%d refused), write-back castiel_wins %,.0f records/s%s",
                        r, inbound.get(r - 1).path("first").path("recordsPerSecond").asDouble(),
                        inbound.get(r - 1).path("first").path("refused").asLong(), castielWins.get(r - 1).path("recordsPerSecond").asDouble(),
                        newestWins.isEmpty() ? "" : String.format(Locale.ROOT, ", newest_wins %,.0f records/s",
                                newestWins.get(r - 1).path("recordsPerSecond").asDouble()));
            }
        } finally {
            org.rateLimit(0);
        }
        Samples in = Samples.of(inbound.stream().mapToDouble(o -> o.path("first").path("recordsPerSecond").asDouble()).toArray());
        Samples inRefused = Samples.of(inbound.stream().mapToDouble(o -> o.path("first").path("refused").asDouble()).toArray());
        Samples wb = rate(castielWins);
        Samples wbRequests = Samples.of(castielWins.stream().mapToDouble(o -> 200.0 * o.path("requests").asDouble()
                / Math.max(1, o.path("written").asDouble())).toArray());
        Samples wbRefused = Samples.of(castielWins.stream().mapToDouble(o -> o.path("refused").asDouble()).toArray());
        List<Measure> rows = new ArrayList<>();
        rows.add(new Measure("3", "Inbound full sync at 25 requests/s", "records/s", in, "25 × 2,000 records/s", in.over(INBOUND_CEILING),
                List.of(), "the scenario 1 sync with the fake org refusing calls beyond 25 in any second.")
                .withTargets(new Target.RatioAtLeast(0.95)));
        if (unconstrained != null && unconstrained.count() == in.count()) {
            Samples ceiling = unconstrained.lowerOf(Samples.of(in.values().stream().mapToDouble(v -> INBOUND_CEILING).toArray()));
            rows.add(Measure.reference("3a", "Inbound at 25 requests/s vs min(50,000, unconstrained rate of 1)", "records/s", in,
                    "whether the rate limiting itself costs anything when the engine, not the cap, is the bottleneck.")
                    .withRatio("min(25 × 2,000, scenario 1)", in.over(ceiling)));
        }
        rows.add(Measure.reference("3b", "Refused calls (403) during the inbound sync", "calls", inRefused, null));
        rows.add(new Measure("3c", "Write-back at 25 requests/s, castiel_wins", "records/s", wb, "25 × 200 records/s",
                wb.over(WRITE_BACK_CEILING), List.of(), "shard edits queued first, then `WriteBackProcessor` drains `sync-outbound`;"
                + " castiel_wins does not read before writing. Timed from the start of the measured integration's session, after an"
                + " untimed warm-up integration's session of " + String.format(Locale.ROOT, "%,d", warmup(ctx.sizes().writeBackRecords()))
                + " write-backs in the same JVM.")
                .withTargets(new Target.RatioAtLeast(0.90)));
        rows.add(Measure.reference("3d", "Write-back calls per 200 records, castiel_wins", "calls", wbRequests,
                "provider calls (token grant excluded) per 200 records written; 1.0 is one full collection per call."));
        rows.add(Measure.reference("3e", "Refused calls (403) during write-back, castiel_wins", "calls", wbRefused, null));
        if (!newestWins.isEmpty()) {
            Samples nw = rate(newestWins);
            Samples nwRequests = Samples.of(newestWins.stream().mapToDouble(o -> 200.0 * o.path("requests").asDouble()
                    / Math.max(1, o.path("written").asDouble())).toArray());
            rows.add(Measure.reference("3f", "Write-back at 25 requests/s, newest_wins (reads before writing)", "records/s", nw,
                    "a policy that compares with the provider's current values reads each batch first (`Id IN` query of 200 ids) and"
                            + " then writes it conditionally on what it read.")
                    .withRatio("25 × 200 records/s", nw.over(WRITE_BACK_CEILING)));
            rows.add(Measure.reference("3g", "Write-back calls per 200 records, newest_wins", "calls", nwRequests, null));
        }
        rows.forEach(m -> ctx.say("%s", ResultsDocument.line(m)));
        List<String> remarks = new ArrayList<>();
        castielWins.forEach(o -> {
            if (o.path("failed").asLong() + o.path("deadLettered").asLong() > 0) {
                remarks.add("A castiel_wins repeat had " + o.path("failed").asLong() + " failed and " + o.path("deadLettered").asLong()
                        + " dead-lettered write-backs.");
            }
        });
        return new ScenarioResult(3, "Rate-limited efficiency (25 requests/s)", String.format(Locale.ROOT,
                "%,d Accounts inbound; %,d shard edits written back per policy (%s)", ctx.sizes().inboundRecords(),
                ctx.sizes().writeBackRecords(), String.join(", ", ctx.sizes().writeBackPolicies())), rows, remarks, null);
    }

    /**
     * Write-backs drained, untimed, before the measured ones: a fifth of them, so the JIT has
     * compiled the write-back path as it has the inbound path after scenario 1's warm-up sync.
     * At most 10,000, so one session turn takes them all.
     */
    static int warmup(int records) {
        return Math.min(10_000, Math.max(200, records / 5));
    }

    private static Samples rate(List<ObjectNode> runs) {
        return Samples.of(runs.stream().mapToDouble(o -> o.path("recordsPerSecond").asDouble()).toArray());
    }

    private ObjectNode inbound(FakeOrg org, int r) {
        Path data = ctx.workDir().resolve("limited-" + r);
        DataDirs.delete(data);
        try {
            return ChildJvm.run("inbound", List.of("-Xmx1g"), ChildArgs.of("org", org.coordinates().toJson(), "data", data.toString(),
                            "warmup", Integer.toString(ctx.sizes().warmupRecords())), ctx.log("limited-inbound-" + r),
                    InboundBenchmark.timeout(ctx.sizes().inboundRecords())).get(0);
        } finally {
            DataDirs.delete(data);
        }
    }

    private ObjectNode writeBack(FakeOrg org, int r, String policy) {
        Path data = ctx.workDir().resolve("writeback-" + policy + "-" + r);
        DataDirs.delete(data);
        try {
            int records = ctx.sizes().writeBackRecords();
            int warmup = warmup(records);
            Duration timeout = Duration.ofSeconds(180 + records / 100);
            org.rateLimit(0);
            ObjectNode prepared = ChildJvm.run("writeback", List.of("-Xmx1g"), ChildArgs.of("org", org.coordinates().toJson(),
                    "data", data.toString(), "mode", "prepare", "records", Integer.toString(records),
                    "warmup", Integer.toString(warmup), "policy", policy,
                    "tag", policy + "-" + r), ctx.log("writeback-prepare-" + policy + "-" + r), timeout).get(0);
            if (prepared.path("queued").asLong() != records) {
                throw new IllegalStateException("write-back preparation queued " + prepared.path("queued").asLong() + " of " + records
                        + " edits; see " + ctx.log("writeback-prepare-" + policy + "-" + r));
            }
            org.rateLimit(REQUESTS_PER_SECOND);
            return ChildJvm.run("writeback", List.of("-Xmx1g"), ChildArgs.of("org", org.coordinates().toJson(),
                    "data", data.toString(), "mode", "drain", "policy", policy), ctx.log("writeback-drain-" + policy + "-" + r), timeout).get(0);
        } finally {
            DataDirs.delete(data);
        }
    }
}
