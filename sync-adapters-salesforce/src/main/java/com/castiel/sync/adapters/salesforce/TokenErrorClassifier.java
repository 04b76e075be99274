package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.util.Optional;

/**
 * Classifies answers of {@code /services/oauth2/token} ({@code {"error","error_description"}}):
 * {@code invalid_grant} (expired or revoked refresh token, unapproved JWT user, bad assertion)
 * → {@code AuthFailed}; unknown clients, wrong secrets, inactive users or orgs → {@code AuthFailed}
 * with {@code INVALID_CREDENTIALS}; a grant type the connected app does not allow →
 * {@code Configuration}; 429 and {@code REQUEST_LIMIT_EXCEEDED} → {@code RateLimited}; 5xx →
 * {@code Transient}. Stateless and thread-safe.
 */
final class TokenErrorClassifier implements HttpErrorClassifier {

    @Override
    public Optional<SyncException> classify(HttpCall call, HttpReply reply) {
        if (reply.isSuccess()) {
            return Optional.empty();
        }
        return Optional.of(classify(reply.status(), ErrorBody.parse(reply.body())));
    }

    static SyncException classify(int status, ErrorBody error) {
        String code = error.code() == null ? "" : error.code();
        SyncException.Details details = SyncException.Details.of(SalesforceSettings.PROVIDER, status, error.code());
        String message = "the Salesforce token endpoint answered " + status + " " + error.describe();
        if (status == 429 || code.equals("REQUEST_LIMIT_EXCEEDED")) {
            return new SyncException.RateLimited(message, null, details);
        }
        if (status >= 500) {
            return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, details);
        }
        return switch (code) {
            case "invalid_grant" -> new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED, message
                    + "; the integration needs to be re-authorised", details);
            case "unsupported_grant_type", "unsupported_response_type" -> new SyncException.Configuration(message
                    + "; check the authFlow setting and the connected app's OAuth policies", details);
            default -> new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, message
                    + "; check the integration's client_id, client_secret, username and private_key", details);
        };
    }
}
