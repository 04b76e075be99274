package com.castiel.sync.engine;

import com.castiel.sync.registry.AdapterSource;

import com.castiel.sync.auth.ProactiveTokenRefresher;
import com.castiel.sync.auth.TokenLifecycle;
import com.castiel.sync.auth.TokenRefreshFailures;
import com.castiel.sync.http.HttpTransport;
import com.castiel.sync.http.JdkHttpTransport;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.inbound.InboundSync;
import com.castiel.sync.metrics.AlertEvaluator;
import com.castiel.sync.metrics.AlertThresholds;
import com.castiel.sync.metrics.JobLog;
import com.castiel.sync.metrics.SyncMetrics;
import com.castiel.sync.outbound.ConflictDesk;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.ShardEdits;
import com.castiel.sync.outbound.WriteBackProcessor;
import com.castiel.sync.outbound.WriteBackTrigger;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.ratelimit.ProviderRateLimiter;
import com.castiel.sync.registry.AdapterRegistry;
import com.castiel.sync.retry.DeadLetterReview;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import com.castiel.sync.schedule.SyncScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The engine assembled from its ports: what both shells (and library users) build once and call.
 * Holds no threads of its own except the lock-renewal timer of the {@link #inboundWorker()};
 * the shells decide how to drive the scheduler, the refresher and the workers.
 */
public final class SyncEngine implements AutoCloseable {

    private final Ports ports;
    private final Clock clock;
    private final AdapterRegistry registry;
    private final HostAdapterContextFactory adapters;
    private final SyncMetrics metrics;
    private final InboundSync inbound;
    private final InboundJobHandler inboundHandler;
    private final WebhookIntake webhookIntake;
    private final JobSettlement settlement;
    private final JobReporting reporting;
    private final InboundWorker inboundWorker;
    private final SyncScheduler scheduler;
    private final ProactiveTokenRefresher tokenRefresher;
    private final DeadLetterReview deadLetters;
    private final AlertEvaluator alerts;
    private final WriteBackTrigger writeBackTrigger;
    private final ShardEdits shardEdits;
    private final ConflictDesk conflictDesk;
    private final WriteBackProcessor writeBackProcessor;

    private SyncEngine(Builder b) {
        this.ports = new Ports(b.shards, b.integrations, b.runs, b.credentials, b.queue, b.events);
        this.clock = b.clock;
        this.registry = b.registry != null ? b.registry : AdapterRegistry.discover(Thread.currentThread().getContextClassLoader());
        MeterRegistry meters = b.meters != null ? b.meters : new SimpleMeterRegistry();
        this.metrics = new SyncMetrics(meters, clock);
        TokenRefreshFailures failures = new TokenRefreshFailures(b.integrations, b.events, meters, clock, TokenRefreshFailures.DEFAULT_REAUTH_AFTER);
        TokenLifecycle tokens = new TokenLifecycle(b.credentials, failures, clock, TokenLifecycle.DEFAULT_EXPIRY_SKEW);
        ProviderRateLimiter limiter = new ProviderRateLimiter(clock, b.sleeper, meters);
        HttpTransport transport = b.transport != null ? b.transport : JdkHttpTransport.create(Duration.ofSeconds(10), Duration.ofSeconds(60));
        this.adapters = new HostAdapterContextFactory(registry::find, tokens, limiter, transport, clock, b.sleeper, b.httpSettings);
        this.inbound = new InboundSync(b.shards, b.runs, clock, b.inboundSettings);
        this.inboundHandler = new InboundJobHandler(b.integrations, adapters::openAdapter, inbound, b.queue, b.events, clock);
        this.webhookIntake = new WebhookIntake(b.integrations, adapters::openAdapter, b.queue, b.events, clock, b.maxWebhookBytes);
        this.settlement = new JobSettlement(b.queue, JobFailurePolicy.withDefaults(clock), b.events, clock);
        this.reporting = new JobReporting(metrics, new JobLog(), b.events, clock);
        this.inboundWorker = new InboundWorker(b.queue, b.integrations, inboundHandler, settlement, reporting, new IntegrationLocks(), clock);
        this.scheduler = new SyncScheduler(b.integrations, b.queue, b.events, clock);
        this.tokenRefresher = new ProactiveTokenRefresher(b.credentials, b.integrations, tokens, failures, adapters::openAdapter,
                clock, ProactiveTokenRefresher.DEFAULT_WINDOW);
        this.deadLetters = new DeadLetterReview(b.queue, b.events, clock);
        this.alerts = new AlertEvaluator(metrics, AlertThresholds.DEFAULT, clock);
        this.writeBackTrigger = new WriteBackTrigger(b.integrations, b.queue, clock);
        this.shardEdits = new ShardEdits(b.shards, writeBackTrigger, clock);
        this.conflictDesk = new ConflictDesk(b.integrations, b.shards, writeBackTrigger, clock);
        this.writeBackProcessor = new WriteBackProcessor(b.integrations, b.shards, adapters::openAdapter, b.queue,
                JobFailurePolicy.withDefaults(clock), b.events, metrics, clock, b.sleeper, b.outboundSettings);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Ports ports() {
        return ports;
    }

    public Clock clock() {
        return clock;
    }

    public AdapterRegistry registry() {
        return registry;
    }

    /** Opens the adapter of an integration; the caller closes it. */
    public AdapterSource adapters() {
        return adapters::openAdapter;
    }

    public HostAdapterContextFactory adapterContexts() {
        return adapters;
    }

    public SyncMetrics metrics() {
        return metrics;
    }

    public InboundSync inbound() {
        return inbound;
    }

    public InboundJobHandler inboundHandler() {
        return inboundHandler;
    }

    public WebhookIntake webhookIntake() {
        return webhookIntake;
    }

    public JobSettlement settlement() {
        return settlement;
    }

    public JobReporting reporting() {
        return reporting;
    }

    public InboundWorker inboundWorker() {
        return inboundWorker;
    }

    public SyncScheduler scheduler() {
        return scheduler;
    }

    public ProactiveTokenRefresher tokenRefresher() {
        return tokenRefresher;
    }

    public DeadLetterReview deadLetters() {
        return deadLetters;
    }

    public AlertEvaluator alerts() {
        return alerts;
    }

    /** Turns shard changes into write-back messages (ignoring the engine's own writes). */
    public WriteBackTrigger writeBackTrigger() {
        return writeBackTrigger;
    }

    /** User edits of shards: store with an etag check, then trigger write-back. */
    public ShardEdits shardEdits() {
        return shardEdits;
    }

    /** Parked {@code manual} conflicts: list and resolve. */
    public ConflictDesk conflictDesk() {
        return conflictDesk;
    }

    /** Processes {@code sync-outbound} one session at a time ({@code processNextSession}). */
    public WriteBackProcessor writeBackProcessor() {
        return writeBackProcessor;
    }

    @Override
    public void close() {
        inboundWorker.close();
    }

    /** The ports the engine was built on. */
    public record Ports(ShardStore shards, IntegrationStore integrations, RunStore runs, CredentialStore credentials,
                        JobQueue queue, EventPublisher events) {
    }

    /** Assembles an engine; every port is required, everything else has a default. */
    public static final class Builder {
        private ShardStore shards;
        private IntegrationStore integrations;
        private RunStore runs;
        private CredentialStore credentials;
        private JobQueue queue;
        private EventPublisher events;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private MeterRegistry meters;
        private AdapterRegistry registry;
        private HttpTransport transport;
        private InboundSettings inboundSettings = InboundSettings.defaults();
        private HostAdapterContext.HttpSettings httpSettings = HostAdapterContext.HttpSettings.DEFAULT;
        private int maxWebhookBytes = WebhookIntake.DEFAULT_MAX_BODY_BYTES;
        private OutboundSettings outboundSettings = OutboundSettings.defaults();

        public Builder shards(ShardStore v) {
            shards = v;
            return this;
        }

        public Builder integrations(IntegrationStore v) {
            integrations = v;
            return this;
        }

        public Builder runs(RunStore v) {
            runs = v;
            return this;
        }

        public Builder credentials(CredentialStore v) {
            credentials = v;
            return this;
        }

        public Builder queue(JobQueue v) {
            queue = v;
            return this;
        }

        public Builder events(EventPublisher v) {
            events = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder sleeper(Sleeper v) {
            sleeper = v;
            return this;
        }

        public Builder meters(MeterRegistry v) {
            meters = v;
            return this;
        }

        /** The adapters to use; default: discovered from the thread's context class loader. */
        public Builder registry(AdapterRegistry v) {
            registry = v;
            return this;
        }

        public Builder transport(HttpTransport v) {
            transport = v;
            return this;
        }

        public Builder inboundSettings(InboundSettings v) {
            inboundSettings = v;
            return this;
        }

        public Builder httpSettings(HostAdapterContext.HttpSettings v) {
            httpSettings = v;
            return this;
        }

        public Builder outboundSettings(OutboundSettings v) {
            outboundSettings = v;
            return this;
        }

        public Builder maxWebhookBytes(int v) {
            maxWebhookBytes = v;
            return this;
        }

        /**
         * @throws IllegalStateException naming the first missing port
         */
        public SyncEngine build() {
            require(shards, "shards");
            require(integrations, "integrations");
            require(runs, "runs");
            require(credentials, "credentials");
            require(queue, "queue");
            require(events, "events");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(sleeper, "sleeper");
            return new SyncEngine(this);
        }

        private static void require(Object port, String name) {
            if (port == null) {
                throw new IllegalStateException("SyncEngine needs a " + name + " port");
            }
        }
    }
}
