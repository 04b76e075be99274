package com.castiel.sync.standalone.runtime;

import com.castiel.sync.http.HttpTransport;
import com.castiel.sync.registry.AdapterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a runtime is wired beyond its configuration.
 *
 * @param clock the clock every time decision uses
 * @param registry the adapters; {@code null} discovers them on the class path
 * @param transport the HTTP transport adapters use; {@code null} for the JDK client
 * @param pollWait how long a worker waits in one receive before looking at its stop flag
 * @param pauseUnconfigured whether integrations the file no longer lists are paused
 */
public record RuntimeOptions(Clock clock, AdapterRegistry registry, HttpTransport transport, Duration pollWait, boolean pauseUnconfigured) {

    public RuntimeOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pollWait, "pollWait");
    }

    /** System clock, discovered adapters, JDK transport, half-second polls, unlisted integrations paused. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Clock.systemUTC(), null, null, Duration.ofMillis(500), true);
    }

    public RuntimeOptions withRegistry(AdapterRegistry r) {
        return new RuntimeOptions(clock, r, transport, pollWait, pauseUnconfigured);
    }

    public RuntimeOptions withClock(Clock c) {
        return new RuntimeOptions(c, registry, transport, pollWait, pauseUnconfigured);
    }

    public RuntimeOptions withPollWait(Duration d) {
        return new RuntimeOptions(clock, registry, transport, d, pauseUnconfigured);
    }
}
