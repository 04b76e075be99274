package com.castiel.sync.azure.functions;

import com.castiel.sync.schedule.TickSummary;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.util.function.Supplier;

/**
 * Every minute: claims the integrations that are due (a conditional update per integration, so
 * scheduler instances never queue the same slot twice) and queues their syncs on
 * {@code sync-inbound-scheduled}.
 */
public final class SyncScheduler {

    public static final String SCHEDULE = "0 */1 * * * *";

    private final Supplier<FunctionsRuntime> runtime;

    public SyncScheduler() {
        this(FunctionsRuntime::shared);
    }

    SyncScheduler(Supplier<FunctionsRuntime> runtime) {
        this.runtime = runtime;
    }

    @FunctionName("SyncScheduler")
    public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
        tick(context);
    }

    /** One tick; the summary is logged (the host ignores return values of timer functions). */
    TickSummary tick(ExecutionContext context) {
        TickSummary summary = runtime.get().engine().scheduler().tick();
        context.getLogger().info("scheduler tick: " + summary);
        return summary;
    }
}
