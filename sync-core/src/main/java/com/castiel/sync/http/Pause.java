package com.castiel.sync.http;

import java.time.Duration;

/**
 * Waits between request attempts. The host passes its injected sleeper, so retry tests never
 * sleep for real. Declared here because the HTTP layer must not depend on the engine's ports.
 */
@FunctionalInterface
public interface Pause {

    void pause(Duration duration) throws InterruptedException;
}
