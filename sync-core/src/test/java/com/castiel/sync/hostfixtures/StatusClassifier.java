package com.castiel.sync.hostfixtures;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.util.Optional;

/**
 * A classifier by status alone, like a plain REST provider's: 401 expired token, 403 refused,
 * 429 throttled (the chain reads {@code Retry-After}), 5xx unavailable, other 4xx invalid.
 */
public final class StatusClassifier implements HttpErrorClassifier {

    private final String provider;

    public StatusClassifier(String provider) {
        this.provider = provider;
    }

    @Override
    public Optional<SyncException> classify(HttpCall call, HttpReply reply) {
        int s = reply.status();
        SyncException.Details d = SyncException.Details.of(provider, s, null);
        if (reply.isSuccess()) {
            return Optional.empty();
        }
        return Optional.of(switch (s) {
            case 401 -> new SyncException.AuthExpired("access token expired", d);
            case 403 -> new SyncException.AuthFailed("access refused", d);
            case 404 -> new SyncException.NotFound("not found", d);
            case 429 -> new SyncException.RateLimited("throttled", null, d);
            default -> s >= 500
                    ? new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "provider unavailable", d)
                    : new SyncException.Validation("rejected with " + s, null, d);
        });
    }
}
