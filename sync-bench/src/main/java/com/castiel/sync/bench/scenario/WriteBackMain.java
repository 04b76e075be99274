package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.engine.AccountIntegration;
import com.castiel.sync.bench.engine.EngineUnderTest;
import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildOutput;
import com.castiel.sync.bench.process.OrgCoordinates;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.FilterOperator;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.SessionOutcome;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.QueueSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Child role {@code writeback}: the write-back half of scenario 3, in two modes on one data
 * directory, so the parent can switch the fake org's rate cap on between them.
 *
 * <ul>
 *   <li>{@code --mode prepare}: syncs the first {@code --warmup} Accounts into a warm-up
 *       integration and the next {@code --records} Accounts into the measured one (pull filters
 *       on {@code AccountNumber}), both in a fresh store with write-back on, then edits the phone
 *       of every one of those shards as a user would ({@code ShardEdits.update}), the warm-up
 *       integration's first, which queues one write-back message per shard;</li>
 *   <li>{@code --mode drain}: processes {@code sync-outbound} with the engine's
 *       {@code WriteBackProcessor} until it is empty. The warm-up integration's session comes
 *       first (its messages were queued first) and is not timed: it lets the JIT compile the
 *       write-back path, as the inbound scenarios' warm-up sync does. The measured session is
 *       timed from its start to its last settled message.</li>
 * </ul>
 * Prints one {@code RESULT} line per mode.
 *
 * <p>Arguments: {@code --org <json> --data <dir> --mode prepare|drain --records N --warmup N
 * --policy castiel_wins|newest_wins|… --tag <text>} ({@code --tag} makes every repeat's phone
 * numbers new).
 */
public final class WriteBackMain {

    private static final IntegrationId INTEGRATION = IntegrationId.of("bench-writeback");
    private static final IntegrationId WARMUP = IntegrationId.of("bench-writeback-warmup");
    private static final int PARALLEL_EDITS = 16;

    private WriteBackMain() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = ChildArgs.parse(argv, 0);
        OrgCoordinates org = OrgCoordinates.fromJson(args.text("org"));
        Path data = args.path("data");
        ConflictResolution policy = ConflictResolution.fromWire(args.text("policy", "castiel_wins"));
        // Take what is queued as it is: the benchmark queues everything before draining.
        OutboundSettings outbound = OutboundSettings.defaults().withBatchWait(Duration.ZERO);
        try (EngineUnderTest engine = EngineUnderTest.open(data, Clock.systemUTC(), InboundSettings.defaults(), outbound)) {
            switch (args.text("mode")) {
                case "prepare" -> prepare(engine, org, policy, args.integer("records", 1000), args.integer("warmup", 0),
                        args.text("tag", "r1"));
                case "drain" -> drain(engine);
                default -> throw new IllegalArgumentException("--mode must be prepare or drain");
            }
        }
    }

    private static void prepare(EngineUnderTest engine, OrgCoordinates org, ConflictResolution policy, int records, int warmup, String tag)
            throws Exception {
        // AccountNumber is AC-0000001 … in creation order: the warm-up takes the first ones, the
        // measured integration the next `records`.
        int warmupQueued = 0;
        if (warmup > 0) {
            engine.addAccountIntegration(WARMUP, org, true, policy, List.of(accountNumber(FilterOperator.LTE, warmup)));
            engine.sync(WARMUP, JobType.FULL_SYNC);
            warmupQueued = edit(engine, linked(engine, WARMUP), tag + "-warmup");
        }
        engine.addAccountIntegration(INTEGRATION, org, true, policy,
                List.of(accountNumber(FilterOperator.GT, warmup), accountNumber(FilterOperator.LTE, warmup + records)));
        EngineUnderTest.TimedRun sync = engine.sync(INTEGRATION, JobType.FULL_SYNC);
        List<Shard> shards = linked(engine, INTEGRATION);
        long t0 = System.nanoTime();
        int queued = edit(engine, shards, tag);
        ObjectNode out = SyncJson.object();
        out.put("synced", sync.run().stats().total());
        out.put("shards", shards.size());
        out.put("queued", queued);
        out.put("warmupQueued", warmupQueued);
        out.put("editSeconds", (System.nanoTime() - t0) / 1e9);
        out.put("outboundActive", engine.storage().queue().stats(QueueSpec.OUTBOUND.name()).active());
        ChildOutput.result(out);
    }

    /** Provider calls so far, token grants excluded. */
    private static long calls(EngineUnderTest engine) {
        return engine.transport().exchanges() - engine.transport().tokenGrants();
    }

    private static PullFilter accountNumber(FilterOperator op, int n) {
        return new PullFilter(AccountIntegration.ENTITY, "AccountNumber", op, TextNode.valueOf(String.format(Locale.ROOT, "AC-%07d", n)));
    }

    private static List<Shard> linked(EngineUnderTest engine, IntegrationId id) {
        List<Shard> shards = new ArrayList<>();
        ShardId after = null;
        while (true) {
            List<Shard> page = engine.storage().shards().listLinked(AccountIntegration.TENANT, id, AccountIntegration.ENTITY, after, 500);
            shards.addAll(page);
            if (page.size() < 500) {
                return shards;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Edits the phone of every shard, in parallel as many users' edits would be; returns the write-backs queued. */
    private static int edit(EngineUnderTest engine, List<Shard> shards, String tag) throws Exception {
        // The queue's group commit batches the sends of parallel edits.
        int queued = 0;
        Semaphore inFlight = new Semaphore(PARALLEL_EDITS);
        List<Future<Integer>> edits = new ArrayList<>(shards.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < shards.size(); i++) {
                Shard s = shards.get(i);
                String phone = "+1 415 555 " + String.format(Locale.ROOT, "%04d", i % 10_000) + " " + tag;
                inFlight.acquire();
                edits.add(pool.submit(() -> {
                    try {
                        return engine.engine().shardEdits().update(s.tenantId(), s.id(), s.etag(), d -> d.put("phone", phone), "bench-user")
                                .writeBacks().size();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<Integer> f : edits) {
                queued += f.get();
            }
        }
        return queued;
    }

    private static void drain(EngineUnderTest engine) {
        JobQueue queue = engine.storage().queue();
        long pending = queue.stats(QueueSpec.OUTBOUND.name()).active();
        boolean warmupPending = engine.storage().integrations().get(AccountIntegration.TENANT, WARMUP).isPresent();
        boolean warmupDone = false;
        long warmupWritten = 0;
        long requests0 = calls(engine);
        long refused0 = engine.transport().refused();
        int sessions = 0;
        long written = 0;
        long completed = 0;
        long failed = 0;
        long deadLettered = 0;
        long t0 = System.nanoTime();
        long lastWork = t0;
        while (true) {
            long turnStart = System.nanoTime();
            long turnRequests = calls(engine);
            long turnRefused = engine.transport().refused();
            Optional<SessionOutcome> turn = engine.engine().writeBackProcessor().processNextSession(Duration.ofMillis(200));
            if (turn.isEmpty()) {
                if (queue.stats(QueueSpec.OUTBOUND.name()).active() == 0) {
                    break;
                }
                continue;
            }
            SessionOutcome o = turn.get();
            if (o.sessionId().equals(WARMUP.value())) {
                if (sessions > 0) {
                    throw new IllegalStateException("the warm-up session came after a measured one; its messages must be queued first");
                }
                warmupDone = true;
                warmupWritten += o.written();
                pending -= o.completed() + o.deadLettered();
                t0 = System.nanoTime();
                requests0 = calls(engine);
                refused0 = engine.transport().refused();
                continue;
            }
            if (warmupPending && !warmupDone) {
                throw new IllegalStateException("the measured session came before the warm-up session");
            }
            if (sessions == 0) {
                t0 = turnStart;
                requests0 = turnRequests;
                refused0 = turnRefused;
            }
            sessions++;
            written += o.written();
            completed += o.completed();
            failed += o.failed();
            deadLettered += o.deadLettered();
            lastWork = System.nanoTime();
        }
        double seconds = (lastWork - t0) / 1e9;
        ObjectNode out = SyncJson.object();
        out.put("pending", pending);
        out.put("warmupWritten", warmupWritten);
        out.put("sessions", sessions);
        out.put("written", written);
        out.put("completed", completed);
        out.put("failed", failed);
        out.put("deadLettered", deadLettered);
        out.put("seconds", seconds);
        out.put("recordsPerSecond", written / seconds);
        // provider calls of the measured session, token grants excluded
        out.put("requests", calls(engine) - requests0);
        out.put("refused", engine.transport().refused() - refused0);
        ChildOutput.result(out);
    }
}
