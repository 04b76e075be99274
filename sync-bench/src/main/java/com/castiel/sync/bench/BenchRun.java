package com.castiel.sync.bench;

import com.castiel.sync.bench.process.FakeOrg;
import com.castiel.sync.bench.report.PerformanceDoc;
import com.castiel.sync.bench.report.ResultsDocument;
import com.castiel.sync.bench.report.ScenarioResult;
import com.castiel.sync.bench.report.Samples;
import com.castiel.sync.bench.scenario.InboundBenchmark;
import com.castiel.sync.bench.scenario.InboundProfile;
import com.castiel.sync.bench.scenario.MemoryBenchmark;
import com.castiel.sync.bench.scenario.RateLimitedBenchmark;
import com.castiel.sync.bench.scenario.SchedulerBenchmark;
import com.castiel.sync.bench.webhook.WebhookBenchmark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The end-to-end benchmark: runs the scenarios in order, each in fresh child JVMs against a fake
 * Salesforce org in its own JVM, measures the limits in the same run, and writes the results
 * section of the performance document (and {@code results.md} in the work directory).
 *
 * <p>A scenario that fails is reported as not measured, with the reason, and the run goes on;
 * the exit code is then 1.
 */
final class BenchRun {

    private static final long SEED = 20_260_301L;

    private BenchRun() {
    }

    static int main(String[] args) throws IOException {
        boolean quick = false;
        boolean jmh = true;
        Boolean profile = null;
        Path doc = null;
        Path work = Path.of("bench", "out");
        Set<Integer> only = new LinkedHashSet<>(List.of(1, 2, 3, 4, 5, 6));
        String command = "bench/run";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-jmh" -> jmh = false;
                case "--profile" -> profile = true;
                case "--no-profile" -> profile = false;
                case "--doc" -> doc = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--only" -> {
                    only.clear();
                    for (String n : args[++i].split(",")) {
                        only.add(Integer.parseInt(n.trim()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Sizes sizes = quick ? Sizes.quick() : Sizes.full();
        boolean profiling = profile != null ? profile : !quick;
        List<String> extra = new ArrayList<>();
        Files.createDirectories(work);
        BenchContext ctx = new BenchContext(sizes, work.resolve("data"), work.resolve("logs"), System.out);
        Files.createDirectories(ctx.workDir());
        Files.createDirectories(ctx.logDir());
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ctx.say("bench: %s run, sizes: %s", quick ? "quick" : "full", sizes.describe());

        List<ScenarioResult> results = new ArrayList<>();
        Outcome outcome = new Outcome(ctx, results);
        if (only.contains(1) || only.contains(2) || only.contains(3)) {
            ctx.say("bench: scenarios 1-3 against a fake org of %,d Accounts", sizes.inboundRecords());
            try (FakeOrg org = FakeOrg.start(sizes.inboundRecords(), SEED, fakeHeap(sizes.inboundRecords()), ctx.log("fake-org-inbound"))) {
                ctx.say("  fake org seeded with %,d Accounts in %.1f s", org.accounts(), org.seedSeconds());
                Samples[] unconstrained = new Samples[1];
                if (only.contains(1) || only.contains(2)) {
                    outcome.attempt(List.of(1, 2), List.of("Inbound full sync", "Unchanged re-sync"), () -> {
                        List<ScenarioResult> r = new InboundBenchmark(ctx).run(org);
                        unconstrained[0] = r.get(0).measures().get(0).value();
                        return r;
                    });
                }
                if (only.contains(3)) {
                    outcome.attempt(List.of(3), List.of("Rate-limited efficiency (25 requests/s)"),
                            () -> List.of(new RateLimitedBenchmark(ctx).run(org, unconstrained[0])));
                }
                if (profiling) {
                    ctx.say("bench: profile of the inbound path (JFR)");
                    try {
                        extra.add(new InboundProfile(ctx).run(org));
                    } catch (RuntimeException e) {
                        ctx.say("  profile FAILED: %s", e.getMessage());
                        extra.add("### Profile of the inbound path\n\nNot recorded: " + e.getMessage() + "\n");
                    }
                }
            } catch (RuntimeException e) {
                outcome.failedToStart(List.of(1, 2, 3), only, "the fake org did not start: " + e.getMessage());
            }
        }
        if (only.contains(4)) {
            ctx.say("bench: scenario 4 against a fake org of %,d Accounts", sizes.memoryRecords());
            try (FakeOrg org = FakeOrg.start(sizes.memoryRecords(), SEED + 1, fakeHeap(sizes.memoryRecords()), ctx.log("fake-org-memory"))) {
                ctx.say("  fake org seeded with %,d Accounts in %.1f s", org.accounts(), org.seedSeconds());
                outcome.attempt(List.of(4), List.of("Memory with -Xmx256m"), () -> List.of(new MemoryBenchmark(ctx).run(org)));
            } catch (RuntimeException e) {
                outcome.failedToStart(List.of(4), only, "the fake org did not start: " + e.getMessage());
            }
        }
        if (only.contains(5)) {
            ctx.say("bench: scenario 5 (webhooks on the standalone runtime)");
            outcome.attempt(List.of(5), List.of("Webhooks"), () -> List.of(new WebhookBenchmark(ctx).run()));
        }
        if (only.contains(6)) {
            ctx.say("bench: scenario 6 with %,d integrations", sizes.integrations());
            outcome.attempt(List.of(6), List.of("Scheduler tick"), () -> List.of(new SchedulerBenchmark(ctx).run()));
        }
        if (jmh && !quick) {
            ctx.say("bench: JMH micro-benchmarks");
            try {
                extra.add(new MicroBenchmarks(ctx).run());
            } catch (RuntimeException e) {
                ctx.say("  JMH FAILED: %s", e.getMessage());
                extra.add("### Micro-benchmarks\n\nNot run: " + e.getMessage() + "\n");
            }
        } else {
            extra.add("### Micro-benchmarks\n\nNot run in this run" + (quick ? " (`--quick` skips them)" : " (`--no-jmh`)")
                    + "; `java -jar sync-bench/target/sync-bench.jar jmh` runs them.\n");
        }
        results.sort(java.util.Comparator.comparingInt(ScenarioResult::number));
        boolean failed = outcome.failed;

        ResultsDocument document = new ResultsDocument(MachineDescription.describe(ctx.workDir()), command,
                started.toString(), sizes.repeats(), results, extra);
        String markdown = "## Results\n\n" + document.markdown();
        Files.writeString(work.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        if (doc != null) {
            PerformanceDoc.rewrite(doc, markdown);
            ctx.say("bench: results written to %s", doc);
        }
        ctx.say("bench: done in %d s", java.time.Duration.between(started, Instant.now()).toSeconds());
        return failed ? 1 : 0;
    }

    /** Collects scenario outcomes; a scenario that throws is recorded as not measured, with the reason. */
    private static final class Outcome {
        private final BenchContext ctx;
        private final List<ScenarioResult> results;
        private boolean failed;

        Outcome(BenchContext ctx, List<ScenarioResult> results) {
            this.ctx = ctx;
            this.results = results;
        }

        void attempt(List<Integer> numbers, List<String> titles, java.util.function.Supplier<List<ScenarioResult>> scenario) {
            try {
                results.addAll(scenario.get());
            } catch (RuntimeException e) {
                failed = true;
                ctx.say("  FAILED: %s", e.getMessage());
                for (int i = 0; i < numbers.size(); i++) {
                    results.add(ScenarioResult.notMeasured(numbers.get(i), titles.get(i), "", "the run failed: " + e.getMessage()));
                }
            }
        }

        void failedToStart(List<Integer> numbers, Set<Integer> wanted, String why) {
            failed = true;
            ctx.say("  FAILED: %s", why);
            for (int n : numbers) {
                if (wanted.contains(n) && results.stream().noneMatch(r -> r.number() == n)) {
                    results.add(ScenarioResult.notMeasured(n, "Scenario " + n, "", why));
                }
            }
        }
    }

    /** The fake keeps about 2.6 KB of heap per Account (with its Contact); leave room for paging. */
    static String fakeHeap(int accounts) {
        long mb = 512 + accounts * 4L / 1000;
        return mb + "m";
    }
}
