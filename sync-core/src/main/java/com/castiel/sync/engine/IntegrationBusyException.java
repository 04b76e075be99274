package com.castiel.sync.engine;

import com.castiel.sync.model.IntegrationId;
import java.time.Duration;

/**
 * A scheduled job found another run of its integration in progress (on this host or another).
 * Not a failure: the worker puts the job back for later without counting an attempt.
 */
public class IntegrationBusyException extends RuntimeException {

    private final transient IntegrationId integrationId;
    private final Duration retryAfter;

    public IntegrationBusyException(IntegrationId integrationId, Duration retryAfter) {
        super("a run of integration " + integrationId + " is in progress; try again in " + retryAfter.toSeconds() + " s");
        this.integrationId = integrationId;
        this.retryAfter = retryAfter;
    }

    public IntegrationId integrationId() {
        return integrationId;
    }

    /** When the current lease lapses at the latest. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
