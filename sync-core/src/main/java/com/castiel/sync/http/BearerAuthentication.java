package com.castiel.sync.http;

import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends the integration's current access token as {@code Authorization: Bearer …} and, when the
 * provider answers {@link SyncException.AuthExpired}, refreshes once and replays the call with
 * the new token, inside the same attempt. A second rejection right after a refresh is final: it
 * becomes {@link SyncException.AuthFailed} ({@code AUTHENTICATION_FAILED}) instead of a loop.
 *
 * <p>The refresh goes through {@link AccessTokens#refreshAfterRejection} with the token that was
 * actually sent, so when many concurrent calls fail with the same stale token only one refresh
 * happens and all of them replay with its result.
 *
 * <p>A call that already carries an {@code Authorization} header (an adapter using Basic auth or
 * an API key) is passed through untouched and never refreshed. Thread-safe; never logs or puts a
 * token into an exception message.
 */
public final class BearerAuthentication implements HttpInterceptor {

    private static final String AUTHORIZATION = "authorization";

    private final AccessTokens tokens;

    public BearerAuthentication(AccessTokens tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public HttpReply intercept(HttpCall call, Chain chain) {
        if (call.header(AUTHORIZATION).isPresent()) {
            return chain.proceed(call);
        }
        Optional<String> token = tokens.current();
        if (token.isEmpty()) {
            return chain.proceed(call);
        }
        try {
            return chain.proceed(withToken(call, token.get()));
        } catch (SyncException.AuthExpired expired) {
            String fresh = tokens.refreshAfterRejection(token.get());
            try {
                return chain.proceed(withToken(call, fresh));
            } catch (SyncException.AuthExpired again) {
                throw new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED,
                        "the provider rejected a freshly refreshed access token for " + call.describe()
                                + "; the integration needs to be re-authorised",
                        SyncException.Details.of(again.provider(), again.httpStatus(), again.providerCode()));
            }
        }
    }

    private static HttpCall withToken(HttpCall call, String token) {
        return call.withHeader(AUTHORIZATION, "Bearer " + token);
    }
}
