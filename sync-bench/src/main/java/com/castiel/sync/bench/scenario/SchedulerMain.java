package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildOutput;
import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.schedule.SyncScheduler;
import com.castiel.sync.schedule.TickSummary;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Child role {@code scheduler}: scenario 6. Fills a fresh embedded store with {@code --integrations}
 * active integrations that sync hourly, their next slots spread evenly over the hour, then times
 * {@code SyncScheduler.tick()} (the engine's own scheduler on the SQLite store and queue):
 * <ul>
 *   <li><b>busy ticks</b>: far enough into the hour that many more than a batch are due, so every
 *       tick selects and claims a full batch (100: compare-and-set of {@code nextSyncAt} and a
 *       durable send each);</li>
 *   <li><b>idle ticks</b>: before the hour, nothing is due;</li>
 *   <li><b>selection</b>: the due query alone ({@code IntegrationStore.findDue}), and the same
 *       SQL on a bare JDBC connection without parsing the documents, as its limit.</li>
 * </ul>
 * The scheduler's time is a settable clock (the schedule must move, the wall clock times it).
 * Prints one {@code RESULT} line with every tick's milliseconds.
 *
 * <p>Arguments: {@code --data <dir> --integrations N --ticks N}.
 */
public final class SchedulerMain {

    private static final String DUE_SQL = "SELECT doc FROM integration WHERE status = ? AND next_sync_at <= ?"
            + " ORDER BY next_sync_at, integration_id LIMIT ?";

    private SchedulerMain() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = ChildArgs.parse(argv, 0);
        Path data = args.path("data");
        int count = args.integer("integrations", 100_000);
        int ticks = args.integer("ticks", 30);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        MutableClock clock = new MutableClock(hour.minus(Duration.ofMinutes(5)));
        ObjectNode out = SyncJson.object();
        try (EmbeddedStorage storage = EmbeddedStorage.open(data, clock);
             SyncEngine engine = SyncEngine.builder().shards(storage.shards()).integrations(storage.integrations())
                     .runs(storage.runs()).credentials(storage.credentials()).queue(storage.queue()).events(e -> { })
                     .clock(clock).build()) {
            long t0 = System.nanoTime();
            fill(storage.integrations(), count, hour, clock.instant());
            out.put("fillSeconds", (System.nanoTime() - t0) / 1e9);
            SyncScheduler scheduler = engine.scheduler();

            // Far enough into the hour that twice the claims of the warm-up and measured ticks are due.
            int warmupTicks = 10;
            long needed = 2L * (warmupTicks + ticks + 2) * SyncScheduler.DEFAULT_BATCH_SIZE;
            long dueSeconds = Math.min(3599, (3600 * needed + count - 1) / count);
            clock.set(hour.plus(Duration.ofSeconds(dueSeconds)));
            // warm-up: the JIT and SQLite's page cache, as a long-running scheduler has them
            for (int i = 0; i < warmupTicks; i++) {
                scheduler.tick();
                storage.integrations().findDue(clock.instant(), SyncScheduler.DEFAULT_BATCH_SIZE);
            }

            double[] busy = new double[ticks];
            long claimed = 0;
            for (int i = 0; i < ticks; i++) {
                long s = System.nanoTime();
                TickSummary summary = scheduler.tick();
                busy[i] = (System.nanoTime() - s) / 1e6;
                if (summary.claimed() != SyncScheduler.DEFAULT_BATCH_SIZE) {
                    throw new IllegalStateException("a busy tick claimed " + summary.claimed() + " integrations instead of a full batch");
                }
                claimed += summary.claimed();
                clock.advance(Duration.ofSeconds(1));
            }
            double[] select = new double[ticks];
            double[] bare = new double[ticks];
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + storage.databaseFile().toAbsolutePath() + "?mode=ro")) {
                for (int i = 0; i < ticks; i++) {
                    long s = System.nanoTime();
                    List<Integration> due = storage.integrations().findDue(clock.instant(), SyncScheduler.DEFAULT_BATCH_SIZE);
                    select[i] = (System.nanoTime() - s) / 1e6;
                    if (due.size() != SyncScheduler.DEFAULT_BATCH_SIZE) {
                        throw new IllegalStateException("expected a full batch of due integrations, got " + due.size());
                    }
                    s = System.nanoTime();
                    int rows = bareSelect(c, clock.instant());
                    bare[i] = (System.nanoTime() - s) / 1e6;
                    if (rows != SyncScheduler.DEFAULT_BATCH_SIZE) {
                        throw new IllegalStateException("the bare due query found " + rows + " rows");
                    }
                }
            }
            clock.set(hour.minus(Duration.ofMinutes(1)));
            double[] idle = new double[ticks];
            for (int i = 0; i < ticks; i++) {
                long s = System.nanoTime();
                TickSummary summary = scheduler.tick();
                idle[i] = (System.nanoTime() - s) / 1e6;
                if (summary.due() != 0) {
                    throw new IllegalStateException("an idle tick found " + summary.due() + " due integrations");
                }
            }
            out.put("integrations", count);
            out.put("claimed", claimed);
            out.set("busyTickMillis", array(busy));
            out.set("idleTickMillis", array(idle));
            out.set("selectMillis", array(select));
            out.set("bareSelectMillis", array(bare));
        }
        ChildOutput.result(out);
    }

    private static void fill(IntegrationStore store, int count, Instant hour, Instant now) {
        EntityMapping mapping = EntityMapping.of("Account", "company", List.of(FieldMapping.of("Name", "name")));
        long spreadMillis = Duration.ofHours(1).toMillis();
        for (int i = 0; i < count; i++) {
            // Tenants of 10 integrations each; slots spread evenly over the hour.
            IntegrationData data = IntegrationData.of("salesforce", List.of(mapping))
                    .withSettings(Map.of("instanceUrl", "https://example.my.salesforce.com"))
                    .withSyncFrequency(SyncFrequency.everyMinutes(60))
                    .withNextSyncAt(hour.plusMillis(spreadMillis * i / count))
                    .withStatus(IntegrationStatus.ACTIVE);
            store.create(new Integration(IntegrationId.of(String.format(Locale.ROOT, "int-%07d", i)),
                    TenantId.of(String.format(Locale.ROOT, "tenant-%06d", i / 10)), "integration " + i, data, 0, now, now));
        }
    }

    private static int bareSelect(Connection c, Instant now) throws Exception {
        try (PreparedStatement p = c.prepareStatement(DUE_SQL)) {
            p.setString(1, IntegrationStatus.ACTIVE.wire());
            p.setLong(2, EpochNanos.nanos(now));
            p.setInt(3, SyncScheduler.DEFAULT_BATCH_SIZE);
            int rows = 0;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rows++;
                }
            }
            return rows;
        }
    }

    private static ArrayNode array(double[] values) {
        ArrayNode a = SyncJson.mapper().createArrayNode();
        Arrays.stream(values).forEach(a::add);
        return a;
    }
}
