package com.castiel.sync.bench.engine;

import com.castiel.sync.bench.process.OrgCoordinates;
import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.http.JdkHttpTransport;
import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The engine as the benchmarks run it: the standalone embedded SQLite storage in a data
 * directory, the real Salesforce adapter over the JDK HTTP transport, and counting decorators on
 * the shard store, run store and transport so a benchmark can report what a sync did. One per
 * child JVM; close it to release the data directory.
 */
public final class EngineUnderTest implements AutoCloseable {

    private final EmbeddedStorage storage;
    private final CountingShardStore shards;
    private final ObservedRunStore runs;
    private final CountingTransport transport;
    private final SyncEngine engine;
    private final Clock clock;

    private EngineUnderTest(EmbeddedStorage storage, Clock clock, InboundSettings inbound, OutboundSettings outbound) {
        this.storage = storage;
        this.clock = clock;
        this.shards = new CountingShardStore(storage.shards());
        this.runs = new ObservedRunStore(storage.runs());
        this.transport = new CountingTransport(JdkHttpTransport.create(Duration.ofSeconds(10), Duration.ofSeconds(60)));
        this.engine = SyncEngine.builder()
                .shards(shards).integrations(storage.integrations()).runs(runs).credentials(storage.credentials())
                .queue(storage.queue()).events(e -> { }).clock(clock).transport(transport)
                .inboundSettings(inbound).outboundSettings(outbound)
                .build();
    }

    /** Opens (creating when needed) the storage in {@code dataDir} and builds the engine on it. */
    public static EngineUnderTest open(Path dataDir, Clock clock, InboundSettings inbound, OutboundSettings outbound) {
        EmbeddedStorage storage = EmbeddedStorage.open(dataDir, clock);
        try {
            return new EngineUnderTest(storage, clock, inbound, outbound);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** Stores the Account integration {@code id} and its credentials. */
    public Integration addAccountIntegration(IntegrationId id, OrgCoordinates org, boolean writeBack, ConflictResolution policy,
                                             List<PullFilter> filters) {
        return addAccountIntegration(id, org, writeBack, policy, filters, null);
    }

    /** As {@link #addAccountIntegration(IntegrationId, OrgCoordinates, boolean, ConflictResolution, List)}, with request limits ({@code null}: Salesforce's). */
    public Integration addAccountIntegration(IntegrationId id, OrgCoordinates org, boolean writeBack, ConflictResolution policy,
                                             List<PullFilter> filters, RateLimitSettings rateLimits) {
        Integration integration = AccountIntegration.of(id, org, writeBack, policy, filters, rateLimits, clock.instant());
        storage.integrations().create(integration);
        storage.credentials().put(AccountIntegration.TENANT, id, AccountIntegration.credentials(org));
        return integration;
    }

    /**
     * Runs one scheduled sync of {@code id} on this thread, as a worker would handle its job.
     *
     * @throws IllegalStateException when the run failed
     */
    public TimedRun sync(IntegrationId id, JobType type) {
        SyncJobMessage job = new SyncJobMessage(id, AccountIntegration.TENANT, type, "salesforce", null, List.of(), clock.instant(), 1,
                "bench-" + System.nanoTime(), "bench");
        long t0 = System.nanoTime();
        InboundOutcome outcome = engine.inboundHandler().handle(job)
                .orElseThrow(() -> new IllegalStateException("the sync job of " + id + " was not run"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        SyncRun run = outcome.run();
        if (run.error() != null) {
            throw new IllegalStateException("the sync of " + id + " failed: " + run.error());
        }
        return new TimedRun(run, seconds);
    }

    public SyncEngine engine() {
        return engine;
    }

    public EmbeddedStorage storage() {
        return storage;
    }

    public CountingShardStore shards() {
        return shards;
    }

    public ObservedRunStore runs() {
        return runs;
    }

    public CountingTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            storage.close();
        }
    }

    /** A finished run and how long it took on the wall clock. */
    public record TimedRun(SyncRun run, double seconds) {

        public TimedRun {
            Objects.requireNonNull(run, "run");
        }

        /** Records the run looked at (created + updated + unchanged + …) per second. */
        public double recordsPerSecond() {
            return run.stats().total() / seconds;
        }
    }
}
