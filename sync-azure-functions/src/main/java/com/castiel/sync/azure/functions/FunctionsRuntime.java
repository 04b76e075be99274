package com.castiel.sync.azure.functions;

import com.castiel.sync.azure.AzurePorts;
import com.castiel.sync.azure.config.AzureSettings;
import com.castiel.sync.engine.InboundWorker;
import com.castiel.sync.engine.IntegrationLocks;
import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.WriteBackProcessor;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.retry.JobFailurePolicy;
import com.castiel.sync.retry.JobSettlement;
import java.time.Clock;
import java.util.Objects;

/**
 * What the functions share in one Functions worker: the engine built from the Azure ports, and
 * the core handlers wired to a {@link TriggerQueue} so that trigger messages are settled the way
 * the Functions host allows. Built once per worker process from the app settings
 * ({@link #shared()}); tests build one on in-memory ports ({@link #create}).
 *
 * <p>Thread-safe: the host may run several invocations at once.
 */
public final class FunctionsRuntime {

    private static final Object LOCK = new Object();
    private static volatile FunctionsRuntime shared;

    private final SyncEngine engine;
    private final TriggerQueue triggerQueue;
    private final InboundWorker inboundWorker;
    private final WriteBackProcessor writeBack;

    private FunctionsRuntime(SyncEngine engine, Sleeper sleeper, OutboundSettings outbound) {
        this.engine = Objects.requireNonNull(engine, "engine");
        SyncEngine.Ports ports = engine.ports();
        Clock clock = engine.clock();
        this.triggerQueue = new TriggerQueue(ports.queue());
        JobFailurePolicy policy = JobFailurePolicy.withDefaults(clock);
        this.inboundWorker = new InboundWorker(triggerQueue, ports.integrations(), engine.inboundHandler(),
                new JobSettlement(triggerQueue, policy, ports.events(), clock), engine.reporting(), new IntegrationLocks(), clock);
        this.writeBack = new WriteBackProcessor(ports.integrations(), ports.shards(), engine.adapters(), triggerQueue, policy,
                ports.events(), engine.metrics(), clock, sleeper, outbound);
    }

    /** A runtime over an assembled engine. */
    public static FunctionsRuntime create(SyncEngine engine, Sleeper sleeper, OutboundSettings outbound) {
        return new FunctionsRuntime(engine, sleeper, outbound);
    }

    /**
     * The worker's runtime, connected on first use from the app settings
     * ({@link AzureSettings#fromEnvironment()}); adapters are discovered on the class path.
     */
    public static FunctionsRuntime shared() {
        FunctionsRuntime rt = shared;
        if (rt == null) {
            synchronized (LOCK) {
                if (shared == null) {
                    Clock clock = Clock.systemUTC();
                    AzurePorts ports = AzurePorts.connect(AzureSettings.fromEnvironment(), clock);
                    SyncEngine engine = ports.engine(clock).build();
                    shared = new FunctionsRuntime(engine, Sleeper.SYSTEM, OutboundSettings.defaults());
                }
                rt = shared;
            }
        }
        return rt;
    }

    public SyncEngine engine() {
        return engine;
    }

    public Clock clock() {
        return engine.clock();
    }

    public TriggerQueue triggerQueue() {
        return triggerQueue;
    }

    public InboundWorker inboundWorker() {
        return inboundWorker;
    }

    public WriteBackProcessor writeBack() {
        return writeBack;
    }
}
