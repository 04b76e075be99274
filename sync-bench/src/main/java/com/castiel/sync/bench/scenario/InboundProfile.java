package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.BenchContext;
import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildJvm;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.bench.process.FakeOrg;
import com.castiel.sync.bench.report.ProfileSummary;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the time of the inbound path goes: one extra run of the scenario 1 child (warm-up, first
 * sync, re-sync) under JFR with 1 ms execution and native-method sampling, summarised per
 * pipeline stage for the first sync and for the re-sync ({@link ProfileSummary}). Not timed: the
 * recording slows the run a little. The recording is kept in the work directory.
 */
public final class InboundProfile {

    /** The threads of a sync: the scan's own and the virtual threads of its pipeline ({@code InboundSync}). */
    private static final Set<String> SYNC_THREADS = Set.of("main", "page-fetch", "page-prefetch", "seen-marks", "sweep-prefetch");

    private final BenchContext ctx;

    public InboundProfile(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** Runs the profiled sync against {@code org} and returns the Markdown section. */
    public String run(FakeOrg org) {
        Path data = ctx.workDir().resolve("profile");
        Path recording = ctx.logDir().resolve("inbound-profile.jfr");
        DataDirs.delete(data);
        try {
            Files.deleteIfExists(recording);
            String jfr = "-XX:StartFlightRecording=filename=" + recording + ",settings=profile,"
                    + "jdk.ExecutionSample#period=1ms,jdk.NativeMethodSample#period=1ms";
            ObjectNode r = ChildJvm.run("inbound", List.of("-Xmx1g", jfr), ChildArgs.of("org", org.coordinates().toJson(),
                            "data", data.toString(), "warmup", Integer.toString(ctx.sizes().warmupRecords()), "resync", "true",
                            "requests-per-second", InboundBenchmark.UNCAPPED_REQUESTS_PER_SECOND),
                    ctx.log("inbound-profile"), InboundBenchmark.timeout(ctx.sizes().inboundRecords())).get(0);
            ProfileSummary.Result first = ProfileSummary.read(recording, SYNC_THREADS,
                    Instant.ofEpochMilli(r.path("first").path("startMillis").asLong()), Instant.ofEpochMilli(r.path("first").path("endMillis").asLong()));
            ProfileSummary.Result again = ProfileSummary.read(recording, SYNC_THREADS,
                    Instant.ofEpochMilli(r.path("resync").path("startMillis").asLong()), Instant.ofEpochMilli(r.path("resync").path("endMillis").asLong()));
            ctx.say("  profiled: first sync %,.0f records/s (%d samples), re-sync %,.0f records/s (%d samples)",
                    r.path("first").path("recordsPerSecond").asDouble(), first.samples(), r.path("resync").path("recordsPerSecond").asDouble(),
                    again.samples());
            return String.format(Locale.ROOT, """
                    ### Profile of the inbound path (JFR, generated)

                    One extra run of scenario 1's child under JFR (`jdk.ExecutionSample` and `jdk.NativeMethodSample` every 1 ms), %,d \
                    Accounts, after the warm-up sync. Sampled threads: `main` (the scan: writes pages) and the scan's pipeline threads: \
                    `page-fetch` (fetches, parses and maps the page after next), `page-prefetch` (looks up links, plans and serialises \
                    the next page), \
                    `seen-marks` (the full scan's seen-set) and \
                    `sweep-prefetch` (the sweep's next batch of link states). A sample is attributed to the innermost pipeline stage on \
                    its stack (`ProfileSummary`). Native samples are time inside SQLite or a socket read. JFR samples a bounded number of \
                    threads per period, so the shares compare stages; they are not wall time. The recording is \
                    `bench/out/logs/inbound-profile.jfr`; `jfr print --events jdk.ExecutionSample` shows the raw samples.

                    **First sync** (%,.0f records/s under the profiler, %d samples):

                    %s
                    **Unchanged re-sync** (%,.0f records/s under the profiler, %d samples):

                    %s
                    """, ctx.sizes().inboundRecords(), r.path("first").path("recordsPerSecond").asDouble(), first.samples(), first.markdown(),
                    r.path("resync").path("recordsPerSecond").asDouble(), again.samples(), again.markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JFR recording " + recording, e);
        } finally {
            DataDirs.delete(data);
        }
    }
}
