package com.castiel.sync.azure.functions;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.metrics.Alert;
import com.castiel.sync.port.QueueSpec;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every 5 minutes: announces dead letters the broker made ({@code MaxDeliveryCountExceeded},
 * {@code TTLExpiredException}) as {@code DeadLettered} events (the seed's {@code SYNC_DEAD_LETTER}
 * notification), samples the queue depths into the metrics and logs the alerts that fire.
 */
public final class DeadLetterReview {

    public static final String SCHEDULE = "0 */5 * * * *";
    static final int REVIEW_LIMIT = 100;

    private final Supplier<FunctionsRuntime> runtime;

    public DeadLetterReview() {
        this(FunctionsRuntime::shared);
    }

    DeadLetterReview(Supplier<FunctionsRuntime> runtime) {
        this.runtime = runtime;
    }

    /**
     * What a review did.
     *
     * @param announced dead letters announced
     * @param alerts alerts firing after the queues were sampled
     */
    public record Review(int announced, List<Alert> alerts) {
    }

    @FunctionName("DeadLetterReview")
    public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
        review(context);
    }

    /** One review; what it did is logged. */
    Review review(ExecutionContext context) {
        SyncEngine engine = runtime.get().engine();
        List<String> queues = QueueSpec.ALL.stream().map(QueueSpec::name).toList();
        int announced = engine.deadLetters().announceNew(queues, REVIEW_LIMIT);
        engine.metrics().sampleQueues(engine.ports().queue(), queues);
        List<Alert> alerts = engine.alerts().evaluate();
        alerts.forEach(a -> context.getLogger().warning("alert " + a.name() + " (" + a.severity() + "): " + a.message()));
        context.getLogger().info("dead-letter review: announced " + announced);
        return new Review(announced, alerts);
    }
}
