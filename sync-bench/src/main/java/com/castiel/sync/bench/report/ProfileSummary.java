package com.castiel.sync.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of the inbound path goes, from a JFR recording of one sync: the execution
 * samples (thread running Java code) and native-method samples (thread inside native code:
 * SQLite, socket reads) of the sync's threads (the scan's own and its pipeline's virtual threads)
 * within a time window, attributed to the stage of the pipeline they fall in. The stage of a sample is decided by the innermost frame of the stack
 * that matches a stage rule, so nested stages win over the ones around them (serialising a shard
 * inside the store write counts as serialising).
 *
 * <p>Stateless; {@link #read} does the work.
 */
public final class ProfileSummary {

    /** A stage: a label and the frame prefixes ({@code class.method}) that mark it. */
    private record Stage(String label, List<String> framePrefixes) {
    }

    private static final List<Stage> STAGES = List.of(
            new Stage("Serialise shard documents (Jackson, store side)", List.of("com.castiel.sync.model.SyncJson.write",
                    "com.castiel.sync.standalone.store.SqliteShardStore$PreparedWrite.")),
            new Stage("Parse stored shard documents (Jackson, lookups)", List.of("com.castiel.sync.standalone.store.SqliteShardStore.parse")),
            new Stage("SQLite: shard write statements and commit", List.of("com.castiel.sync.standalone.store.SqliteShardStore.persist",
                    "com.castiel.sync.standalone.store.sqlite.SqliteDatabase.write")),
            new Stage("SQLite: write-side reads (current rows, link holders)", List.of(
                    "com.castiel.sync.standalone.store.SqliteShardStore.loadCurrent", "com.castiel.sync.standalone.store.SqliteShardStore.loadHolders",
                    "com.castiel.sync.standalone.store.SqliteShardStore.readEtagCounter")),
            new Stage("SQLite: batch plan (in memory)", List.of("com.castiel.sync.standalone.store.ShardBatchPlan.")),
            new Stage("SQLite: lookup by external id", List.of("com.castiel.sync.standalone.store.SqliteShardStore.findByExternalIds",
                    "com.castiel.sync.standalone.store.SqliteShardStore.lambda$findByExternalIds")),
            new Stage("SQLite: link states (lookup by external id, sweep listing)", List.of(
                    "com.castiel.sync.standalone.store.SqliteShardStore.findLinkStates",
                    "com.castiel.sync.standalone.store.SqliteShardStore.lambda$findLinkStates",
                    "com.castiel.sync.standalone.store.SqliteShardStore.listLinkStates",
                    "com.castiel.sync.standalone.store.SqliteShardStore.lambda$listLinkStates")),
            new Stage("Run store: seen-set (marks, sweep look-ups)", List.of("com.castiel.sync.standalone.store.SqliteRunStore.markSeen",
                    "com.castiel.sync.standalone.store.SqliteRunStore.lambda$markSeen", "com.castiel.sync.standalone.store.SqliteRunStore.seenAmong",
                    "com.castiel.sync.standalone.store.SqliteRunStore.lambda$seenAmong")),
            new Stage("Run store: checkpoints and runs", List.of("com.castiel.sync.standalone.store.SqliteRunStore.")),
            new Stage("Sweep after the full scan", List.of("com.castiel.sync.inbound.InboundSync$EntityScan.sweep")),
            new Stage("Map fields + content hash (RecordMapper.toShard)", List.of("com.castiel.sync.transform.RecordMapper.toShard")),
            new Stage("Build shard data (RecordMapper.applyTo)", List.of("com.castiel.sync.transform.RecordMapper.applyTo")),
            new Stage("Adapter: page JSON to records", List.of("com.castiel.sync.adapters.salesforce.QueryResult.")),
            new Stage("Adapter: Jackson readTree of the page", List.of("com.castiel.sync.adapters.salesforce.SalesforceApi.json")),
            new Stage("HTTP exchange (request, waiting for the fake, body)", List.of("com.castiel.sync.http.JdkHttpTransport.exchange")),
            new Stage("HTTP interceptor chain (auth, limits, retry)", List.of("com.castiel.sync.http.")),
            new Stage("Plan page: merge, relationships, ids", List.of("com.castiel.sync.inbound.PageApplier.")),
            new Stage("Inbound pipeline (other)", List.of("com.castiel.sync.inbound.")));

    private ProfileSummary() {
    }

    /** Samples per stage, per frame and per thread, most first. */
    public record Result(Map<String, Long> byStage, Map<String, Long> topFrames, Map<String, Long> byThread, long samples) {

        /** A Markdown table of the threads, one of the stages with their share of the samples, and one of the top frames. */
        public String markdown() {
            StringBuilder md = new StringBuilder("| Thread | samples | share |\n|---|---|---|\n");
            byThread.forEach((thread, n) -> md.append("| `").append(thread).append("` | ").append(n).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f %%", 100.0 * n / Math.max(1, samples))).append(" |\n"));
            md.append("\n| Stage of the inbound path | samples | share |\n|---|---|---|\n");
            byStage.forEach((stage, n) -> md.append("| ").append(stage).append(" | ").append(n).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f %%", 100.0 * n / Math.max(1, samples))).append(" |\n"));
            md.append("\nTop frames (where the sampled thread was, innermost frame):\n\n| Frame | samples | share |\n|---|---|---|\n");
            topFrames.forEach((frame, n) -> md.append("| `").append(frame).append("` | ").append(n).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f %%", 100.0 * n / Math.max(1, samples))).append(" |\n"));
            return md.toString();
        }
    }

    /**
     * Reads the samples of the named {@code threads} between {@code from} and {@code to} (either
     * may be {@code null}: unbounded).
     */
    public static Result read(Path recording, Set<String> threads, Instant from, Instant to) throws IOException {
        Map<String, Long> byStage = new HashMap<>();
        Map<String, Long> frames = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                if (from != null && e.getStartTime().isBefore(from) || to != null && e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                if (t == null || t.getJavaName() == null || !threads.contains(t.getJavaName())) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                byThread.merge(t.getJavaName(), 1L, Long::sum);
                byStage.merge(stage(stack.getFrames()), 1L, Long::sum);
                frames.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
            }
        }
        return new Result(sortedDescending(byStage, Integer.MAX_VALUE), sortedDescending(frames, 15),
                sortedDescending(byThread, Integer.MAX_VALUE), samples);
    }

    private static String stage(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String name = name(f);
            for (Stage s : STAGES) {
                for (String prefix : s.framePrefixes()) {
                    if (name.startsWith(prefix)) {
                        return s.label();
                    }
                }
            }
        }
        return "Other (outside the marked stages)";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, Long> sortedDescending(Map<String, Long> counts, int limit) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : entries.subList(0, Math.min(limit, entries.size()))) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Prints the summary of a recording: {@code <file.jfr> [thread,thread… [fromEpochMillis toEpochMillis]]}. */
    public static void main(String[] args) throws IOException {
        Instant from = args.length > 2 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : null;
        Instant to = args.length > 3 ? Instant.ofEpochMilli(Long.parseLong(args[3])) : null;
        Result r = read(Path.of(args[0]), Set.of((args.length > 1 ? args[1] : "main").split(",")), from, to);
        System.out.println(r.samples() + " samples");
        System.out.println(r.markdown());
    }
}
