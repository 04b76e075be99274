package com.castiel.sync.bench.webhook;

import com.castiel.sync.bench.BenchContext;
import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildJvm;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.bench.report.Measure;
import com.castiel.sync.bench.report.ResultsDocument;
import com.castiel.sync.bench.report.Samples;
import com.castiel.sync.bench.report.ScenarioResult;
import com.castiel.sync.bench.report.Target;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Scenario 5: signed webhooks accepted and durably queued by the standalone runtime over
 * loopback, against a bare handler on an identically built server in the same JVM, plus the
 * webhook-to-shard latency. Per repeat a fresh runtime JVM ({@link WebhookServerMain}) and a
 * fresh load-generator JVM ({@link WebhookLoadMain}).
 */
public final class WebhookBenchmark {

    static final double MIN_PER_SECOND = 5_000;
    static final double MAX_P99_MILLIS = 25;
    static final double MIN_SHARE_OF_BARE = 0.5;
    static final double MAX_TO_SHARD_P99_MILLIS = 100;
    static final int CLIENTS = 32;
    /** The offered rate the latency target is judged at. */
    static final int OFFERED_RATE = 5_000;

    private final BenchContext ctx;

    public WebhookBenchmark(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** One repeat's raw results. */
    record Repeat(JsonNode load, List<Double> toShard, int probeFailures, JsonNode stats) {
    }

    public ScenarioResult run() {
        List<Repeat> repeats = new ArrayList<>();
        for (int r = 1; r <= ctx.sizes().repeats(); r++) {
            repeats.add(repeat(r));
        }
        Samples accepted = per(repeats, x -> x.load().path("webhook").path("okPerSecond").asDouble());
        Samples bare = per(repeats, x -> x.load().path("bare").path("okPerSecond").asDouble());
        Samples closedP99 = per(repeats, x -> x.load().path("webhook").path("p99Millis").asDouble());
        Samples bareP99 = per(repeats, x -> x.load().path("bare").path("p99Millis").asDouble());
        Samples atRate = per(repeats, x -> x.load().path("webhook-at-rate").path("okPerSecond").asDouble());
        Samples p50 = per(repeats, x -> x.load().path("webhook-at-rate").path("p50Millis").asDouble());
        Samples p99 = per(repeats, x -> x.load().path("webhook-at-rate").path("p99Millis").asDouble());
        Samples shardP50 = per(repeats, x -> Samples.of(x.toShard().stream().mapToDouble(Double::doubleValue).toArray()).median());
        Samples shardP99 = per(repeats, x -> percentile(x.toShard(), 0.99));
        Samples backlog = per(repeats, x -> x.stats().path("webhookBacklog").asDouble());
        String rate = String.format(Locale.ROOT, "%,d", OFFERED_RATE);
        List<Measure> rows = List.of(
                new Measure("5", "Signed webhooks accepted and durably queued (maximum rate)", "webhooks/s", accepted, "bare handler (5a)",
                        accepted.over(bare), List.of(), String.format(Locale.ROOT, "%d closed-loop clients in a separate JVM, one keep-alive"
                                + " HTTP/1.1 connection each; every delivery freshly signed (HMAC-SHA256) with a unique delivery id; only 2xx"
                                + " answers count, and the runtime answers 2xx after the durable (synchronous=FULL, group-committed) enqueue. Its"
                                + " workers apply the queued webhooks meanwhile, on the same 2 cores.", CLIENTS))
                        .withTargets(new Target.AtLeast(MIN_PER_SECOND), new Target.RatioAtLeast(MIN_SHARE_OF_BARE)),
                Measure.reference("5a", "Limit: bare handler (read body, 200) on the same Jetty setup", "requests/s", bare,
                        "same generator, same signing work per request, same JVM as the runtime, measured first."),
                new Measure("5b", "Accepted at " + rate + "/s offered", "webhooks/s", atRate, rate + "/s offered", atRate.over(OFFERED_RATE),
                        List.of(), "fixed-rate load after a warm-up at the same rate, before the closed loop: each client sends on a schedule;"
                        + " latency counts from the scheduled send time. The runtime's workers apply the webhooks meanwhile."),
                Measure.reference("5c", "Webhook answer latency p50 at " + rate + "/s offered", "ms", p50, null),
                new Measure("5d", "Webhook answer latency p99 at " + rate + "/s offered", "ms", p99, null, null, List.of(), null)
                        .withTargets(new Target.AtMost(MAX_P99_MILLIS)),
                Measure.reference("5e", "Webhook answer latency p99 at maximum rate (closed loop)", "ms", closedP99, null)
                        .withRatio("bare p99 (5f)", closedP99.over(bareP99)),
                Measure.reference("5f", "Bare handler latency p99 at maximum rate", "ms", bareP99, null),
                Measure.reference("5g", "Webhook-to-shard latency p50", "ms", shardP50, null),
                new Measure("5h", "Webhook-to-shard latency p99", "ms", shardP99, null, null, List.of(), String.format(Locale.ROOT,
                        "%d probes per repeat on an otherwise idle runtime: a signed webhook changing one record, timed from the send"
                                + " until the shard store shows the change (polled every millisecond).", ctx.sizes().webhookProbes()))
                        .withTargets(new Target.AtMost(MAX_TO_SHARD_P99_MILLIS)),
                Measure.reference("5i", "Webhook jobs still queued when the load stopped", "jobs", backlog,
                        "accepted faster than the workers apply them; they are applied afterwards."));
        rows.forEach(m -> ctx.say("%s", ResultsDocument.line(m)));
        List<String> remarks = new ArrayList<>();
        for (Repeat x : repeats) {
            if (x.probeFailures() > 0) {
                remarks.add("A repeat had " + x.probeFailures() + " latency probes that were not answered 2xx or not applied within 10 s.");
            }
            JsonNode statuses = x.load().path("webhook").path("statuses");
            statuses.fieldNames().forEachRemaining(s -> {
                if (!s.startsWith("2")) {
                    remarks.add("A repeat had " + statuses.path(s).asLong() + " webhook answers with status " + s + ".");
                }
            });
        }
        remarks.add("Server-side check: the endpoint's own `sync_webhook_requests` counter by status, last repeat: "
                + repeats.get(repeats.size() - 1).stats().path("answers") + ".");
        return new ScenarioResult(5, "Webhooks", String.format(Locale.ROOT, "%d s measured after %d s warm-up per target, %d clients;"
                        + " %d s at %,d/s offered; %d latency probes", ctx.sizes().webhookSeconds(), ctx.sizes().webhookWarmupSeconds(), CLIENTS,
                ctx.sizes().webhookSeconds(), OFFERED_RATE, ctx.sizes().webhookProbes()), rows, remarks, null);
    }

    private Repeat repeat(int r) {
        Path data = ctx.workDir().resolve("webhooks-" + r);
        DataDirs.delete(data);
        try (ChildJvm server = ChildJvm.start("webhook-server", List.of("-Xmx1g"), ChildArgs.of("data", data.toString()),
                ctx.log("webhook-server-" + r))) {
            JsonNode ready = server.awaitLine("READY ", Duration.ofMinutes(3));
            Path templates = ctx.workDir().resolve("webhook-templates-" + r + ".json");
            Files.write(templates, SyncJson.writeBytes(ready.get("templates")));
            server.send("probe " + ctx.sizes().webhookProbes());
            JsonNode probed = server.awaitLine("OK ", Duration.ofSeconds(60 + ctx.sizes().webhookProbes()));
            List<Double> toShard = new ArrayList<>();
            probed.path("latencyMillis").forEach(v -> toShard.add(v.asDouble()));
            if (toShard.isEmpty()) {
                throw new IllegalStateException("no webhook-to-shard probe succeeded; see " + ctx.log("webhook-server-" + r));
            }
            int seconds = 3 * (ctx.sizes().webhookSeconds() + ctx.sizes().webhookWarmupSeconds());
            ObjectNode load = ChildJvm.run("webhook-load", List.of("-Xmx512m"), ChildArgs.of(
                    "targets", "bare=" + ready.path("bareUrl").asText() + ",webhook=" + ready.path("webhookUrl").asText(),
                    "secret", ready.path("secret").asText(), "templates", templates.toString(),
                    "warmup-seconds", Integer.toString(ctx.sizes().webhookWarmupSeconds()),
                    "seconds", Integer.toString(ctx.sizes().webhookSeconds()), "clients", Integer.toString(CLIENTS),
                    "rate", Integer.toString(OFFERED_RATE)),
                    ctx.log("webhook-load-" + r), Duration.ofSeconds(120 + 3L * seconds)).get(0);
            server.send("stats");
            JsonNode stats = server.awaitLine("OK ", Duration.ofSeconds(30));
            ctx.say("  webhook repeat %d: %,.0f webhooks/s max, bare %,.0f requests/s; at %,d/s offered: %,.0f accepted, p99 %.1f ms;"
                            + " to-shard p99 %.1f ms", r, load.path("webhook").path("okPerSecond").asDouble(),
                    load.path("bare").path("okPerSecond").asDouble(), OFFERED_RATE, load.path("webhook-at-rate").path("okPerSecond").asDouble(),
                    load.path("webhook-at-rate").path("p99Millis").asDouble(), percentile(toShard, 0.99));
            Files.deleteIfExists(templates);
            return new Repeat(load, toShard, probed.path("failed").asInt(), stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DataDirs.delete(data);
        }
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static Samples per(List<Repeat> repeats, ToDoubleFunction<Repeat> f) {
        return Samples.of(repeats.stream().mapToDouble(f).toArray());
    }
}
