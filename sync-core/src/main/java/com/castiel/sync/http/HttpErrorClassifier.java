package com.castiel.sync.http;

import com.castiel.sync.spi.SyncException;
import java.util.Optional;

/**
 * Turns a provider's HTTP reply into the error taxonomy. Each adapter supplies one: it knows
 * that Salesforce says {@code INVALID_SESSION_ID} where another provider says 401 with a
 * {@code WWW-Authenticate} header.
 *
 * <p>Called on every reply, success or not; must not consume anything but the reply. Pure and
 * thread-safe: it returns the failure instead of throwing it, and the failure's message names
 * the call ({@link HttpCall#describe()}) and the provider's message, never a token or a body.
 */
@FunctionalInterface
public interface HttpErrorClassifier {

    /**
     * @return empty when the reply is a success the adapter will read; otherwise the failure
     */
    Optional<SyncException> classify(HttpCall call, HttpReply reply);
}
