package com.castiel.sync.standalone.runtime;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.engine.WebhookIntake;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.model.Integration;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.registry.AdapterRegistry;
import com.castiel.sync.standalone.admin.Administration;
import com.castiel.sync.standalone.admin.RecentEvents;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.config.WorkerSettings;
import com.castiel.sync.standalone.server.AdminApi;
import com.castiel.sync.standalone.server.AdminToken;
import com.castiel.sync.standalone.server.ConflictApi;
import com.castiel.sync.standalone.server.HealthCheck;
import com.castiel.sync.standalone.server.StandaloneHttpServer;
import com.castiel.sync.standalone.server.WebhookEndpoint;
import com.castiel.sync.standalone.server.WebhookVerifiers;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running standalone engine: storage, engine, HTTP server, inbound and outbound workers and
 * the timers, started together from a configuration and stopped together.
 *
 * <p><b>Start</b> ({@link #start}): applies the configuration to the data directory, checks every
 * integration's adapter settings, binds the server, starts the workers and timers. A bad
 * configuration fails the start with a {@link com.castiel.sync.standalone.config.ConfigException}
 * and everything opened so far (the storage included) is closed.
 *
 * <p><b>Stop</b> ({@link #stop()}, also the JVM shutdown hook of {@code run}): stops intake
 * (webhooks get 503), stops the timers and receiving, waits for running jobs until
 * {@code workers.shutdownGraceSeconds}, releases the messages of jobs still running, then closes
 * the server, the engine and the database. Idempotent; concurrent callers wait for the first.
 */
public final class StandaloneRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneRuntime.class);
    private static final Duration QUEUE_SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final Duration REVIEW_EVERY = Duration.ofMinutes(1);
    private static final int DEAD_LETTER_ANNOUNCE_LIMIT = 100;

    private final StandaloneConfig config;
    private final DataStorage storage;
    private final SyncEngine engine;
    private final PrometheusMeterRegistry meters;
    private final RecentEvents events;
    private final Administration admin;
    private final WebhookVerifiers verifiers;
    private final StandaloneHttpServer server;
    private final InboundConsumers inbound;
    private final OutboundConsumers outbound;
    private final PeriodicTasks timers = new PeriodicTasks();
    private final AlertLog alertLog = new AlertLog();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Integration> integrations;

    private StandaloneRuntime(StandaloneConfig config, DataStorage storage, AdminToken token, RuntimeOptions options) {
        this.config = config;
        this.storage = storage;
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        this.events = new RecentEvents(200);
        Clock clock = options.clock();
        AdapterRegistry registry = options.registry() != null ? options.registry()
                : AdapterRegistry.discover(StandaloneRuntime.class.getClassLoader());
        SyncEngine.Builder builder = SyncEngine.builder()
                .shards(storage.shards()).integrations(storage.integrations()).runs(storage.runs())
                .credentials(storage.credentials()).queue(storage.queue()).events(events)
                .clock(clock).meters(meters).registry(registry)
                .inboundSettings(InboundSettings.defaults().withMaxRecordsPerSync(config.limits().maxRecordsPerSync()))
                .maxWebhookBytes(config.server().maxWebhookBytes());
        if (options.transport() != null) {
            builder.transport(options.transport());
        }
        this.engine = builder.build();
        this.admin = new Administration(engine, events);

        IntegrationProvisioning provisioning = new IntegrationProvisioning(storage.integrations(), storage.credentials(), clock);
        this.integrations = provisioning.apply(config);
        if (options.pauseUnconfigured()) {
            provisioning.pauseUnconfigured(config);
        }
        provisioning.checkAdapters(config, integrations, engine.adapters());

        this.verifiers = new WebhookVerifiers(engine.adapters());
        WebhookIntake intake = new WebhookIntake(storage.integrations(), verifiers, storage.queue(), events, clock,
                config.server().maxWebhookBytes());
        WebhookEndpoint webhooks = new WebhookEndpoint(intake, config.server().maxWebhookBytes(), clock, meters,
                new HashSet<>(registry.ids()));
        AdminApi api = new AdminApi(admin, token, new ConflictApi(engine.conflictDesk(), admin.directory()));
        this.server = new StandaloneHttpServer(config.server(), webhooks, api, meters, this::health);
        this.inbound = new InboundConsumers(storage.queue(), engine.inboundWorker(), config.limits().maxConcurrentSyncs(), options.pollWait());
        this.outbound = new OutboundConsumers(storage.queue(), engine.writeBackProcessor(), config.workers().maxWriteBackSessions(), options.pollWait());
    }

    /**
     * Starts a runtime over {@code storage}, which it owns from now on (closed by {@link #stop()},
     * or at once when the start fails).
     *
     * @throws com.castiel.sync.standalone.config.ConfigException when the configuration does not
     *     fit the data directory or an adapter refuses its settings
     * @throws IllegalStateException when the server cannot bind its address
     */
    public static StandaloneRuntime start(StandaloneConfig config, DataStorage storage, AdminToken token, RuntimeOptions options) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(options, "options");
        StandaloneRuntime runtime;
        try {
            runtime = new StandaloneRuntime(config, storage, token, options);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        try {
            runtime.begin();
        } catch (RuntimeException e) {
            runtime.stop();
            throw e;
        }
        return runtime;
    }

    private void begin() {
        server.start();
        inbound.start();
        outbound.start();
        WorkerSettings w = config.workers();
        List<String> queueNames = QueueSpec.ALL.stream().map(QueueSpec::name).toList();
        timers.every("scheduler", Duration.ZERO, Duration.ofSeconds(w.schedulerTickSeconds()), () -> engine.scheduler().tick());
        timers.every("token-refresh", Duration.ofSeconds(5), Duration.ofMinutes(w.tokenRefreshMinutes()),
                () -> engine.tokenRefresher().refreshExpiring());
        timers.every("queue-sample", Duration.ZERO, QUEUE_SAMPLE_EVERY, () -> engine.metrics().sampleQueues(storage.queue(), queueNames));
        timers.every("dead-letter-review", REVIEW_EVERY, REVIEW_EVERY,
                () -> engine.deadLetters().announceNew(queueNames, DEAD_LETTER_ANNOUNCE_LIMIT));
        timers.every("alerts", QUEUE_SAMPLE_EVERY, REVIEW_EVERY, () -> alertLog.record(engine.alerts().evaluate()));
        LOG.atInfo().setMessage("standalone runtime started").addKeyValue("integrations", integrations.size())
                .addKeyValue("address", server.baseUri()).addKeyValue("maxConcurrentSyncs", config.limits().maxConcurrentSyncs()).log();
    }

    public SyncEngine engine() {
        return engine;
    }

    public Administration admin() {
        return admin;
    }

    public DataStorage storage() {
        return storage;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The integrations as applied from the configuration. */
    public List<Integration> integrations() {
        return integrations;
    }

    /** {@code http://host:port} of the server. */
    public URI baseUri() {
        return server.baseUri();
    }

    public boolean isStopping() {
        return stopping.get();
    }

    private HealthCheck.Status health() {
        if (stopping.get()) {
            return new HealthCheck.Status("stopping", "shutting down");
        }
        try {
            storage.integrations().listAll(null, 1);
            return HealthCheck.Status.UP;
        } catch (RuntimeException e) {
            return new HealthCheck.Status("down", "storage unavailable");
        }
    }

    /** Stops gracefully within {@code workers.shutdownGraceSeconds}; see the class comment. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped(Duration.ofMinutes(5));
            return;
        }
        Duration grace = Duration.ofSeconds(config.workers().shutdownGraceSeconds());
        long deadline = System.nanoTime() + grace.toNanos();
        LOG.atInfo().setMessage("stopping: intake closed, finishing running jobs").addKeyValue("graceSeconds", grace.toSeconds()).log();
        try {
            server.webhooks().stopAccepting();
            timers.stop(remaining(deadline));
            int releasedInbound = inbound.stop(remaining(deadline));
            int releasedOutbound = outbound.stop(remaining(deadline));
            waitForWebhooks(deadline);
            server.close();
            engine.close();
            verifiers.close();
            LOG.atInfo().setMessage("stopped").addKeyValue("releasedInbound", releasedInbound)
                    .addKeyValue("releasedOutbound", releasedOutbound).log();
        } catch (RuntimeException e) {
            LOG.atError().setMessage("error while stopping").addKeyValue("error", e.toString()).log();
        } finally {
            storage.close();
            meters.close();
            stopped.countDown();
        }
    }

    /** Blocks until the runtime has stopped; returns false on timeout. */
    public boolean awaitStopped(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void waitForWebhooks(long deadline) {
        // a webhook past the gate finishes its durable enqueue before the database closes
        long until = Math.max(deadline, System.nanoTime() + Duration.ofSeconds(2).toNanos());
        while (server.webhooks().inFlight() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
