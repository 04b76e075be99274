package com.castiel.sync.azure.functions;

import com.castiel.sync.auth.RefreshSummary;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.util.function.Supplier;

/**
 * Every 15 minutes: refreshes the OAuth tokens that expire within the next two hours; repeated
 * failures put the integration in {@code needs_reauth} and publish {@code TokenRefreshFailed}.
 */
public final class TokenRefresher {

    public static final String SCHEDULE = "0 */15 * * * *";

    private final Supplier<FunctionsRuntime> runtime;

    public TokenRefresher() {
        this(FunctionsRuntime::shared);
    }

    TokenRefresher(Supplier<FunctionsRuntime> runtime) {
        this.runtime = runtime;
    }

    @FunctionName("TokenRefresher")
    public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
        refresh(context);
    }

    /** One refresh pass; the summary is logged. */
    RefreshSummary refresh(ExecutionContext context) {
        RefreshSummary summary = runtime.get().engine().tokenRefresher().refreshExpiring();
        context.getLogger().info("token refresh: " + summary);
        return summary;
    }
}
