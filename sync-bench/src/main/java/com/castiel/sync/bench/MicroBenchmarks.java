package com.castiel.sync.bench;

import com.castiel.sync.bench.process.ChildJvm;
import com.castiel.sync.bench.report.Samples;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the JMH micro-benchmarks of this jar in a child JVM (one fork, 3 warm-up and 5 measured
 * iterations of one second each) and renders them as a Markdown section: min / median / max of
 * the measured iterations and JMH's score with its 99.9 % error.
 */
final class MicroBenchmarks {

    private final BenchContext ctx;

    MicroBenchmarks(BenchContext ctx) {
        this.ctx = ctx;
    }

    String run() {
        Path json = ctx.logDir().resolve("jmh.json");
        try {
            Files.deleteIfExists(json);
            ChildJvm.run("jmh", List.of("-Xmx1g"), List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s", "-rf", "json",
                    "-rff", json.toString(), "-jvmArgs", "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx1g"),
                    ctx.log("jmh"), Duration.ofMinutes(15));
            JsonNode results = SyncJson.mapper().readTree(Files.readAllBytes(json));
            StringBuilder md = new StringBuilder("""
                    ### Micro-benchmarks (JMH, generated)

                    `java -jar sync-bench/target/sync-bench.jar jmh -f 1 -wi 3 -w 1s -i 5 -r 1s`: one fork, 3 warm-up and 5 measured \
                    iterations of 1 s; min / median / max over the measured iterations.

                    | Benchmark | what one operation is | min | median | max | unit | JMH score ± error |
                    |---|---|---|---|---|---|---|
                    """);
            for (JsonNode b : results) {
                String name = b.path("benchmark").asText();
                String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
                JsonNode metric = b.path("primaryMetric");
                List<Double> raw = new ArrayList<>();
                metric.path("rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
                Samples s = new Samples(raw);
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %.3f | %.3f | %.3f | %s | %.3f ± %.3f |%n", shortName, describe(shortName),
                        s.min(), s.median(), s.max(), metric.path("scoreUnit").asText(), metric.path("score").asDouble(),
                        metric.path("scoreError").asDouble()));
                ctx.say("  %-45s %10.3f %s (median)", shortName, s.median(), metric.path("scoreUnit").asText());
            }
            return md.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JMH results " + json, e);
        }
    }

    private static String describe(String benchmark) {
        return switch (benchmark) {
            case "RecordMappingBenchmark.toShardWithHash" -> "map one Account (10 fields) to shard values and hash them";
            case "ThreeWayMergeBenchmark.merge" -> "field-level merge of one Account, one field changed on both sides";
            case "SalesforcePageBenchmark.parsePageOf2000" -> "adapter turns one 2,000-record query page into records (bytes in memory)";
            case "ShardStoreBenchmark.insertPageOf2000" -> "embedded store writes 2,000 new shards (one batch, one commit)";
            case "ShardStoreBenchmark.lookUpPageOf2000" -> "embedded store finds 2,000 shards by external id among 20,000";
            default -> "";
        };
    }
}
