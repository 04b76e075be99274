package com.castiel.sync.http;

import java.util.Optional;

/**
 * The access tokens of one integration, as the HTTP chain sees them. The host implements it on
 * top of its credential store and the adapter's token grant; the chain never learns how a token
 * is obtained.
 *
 * <p>Implementations are thread-safe and refresh at most once at a time per integration: callers
 * that need a refresh while one is in flight wait for it and share its result.
 */
public interface AccessTokens {

    /**
     * A token to send now. Refreshes first when the stored token has expired or is about to
     * (providers that report no expiry are never refreshed here, only after a rejection).
     *
     * @return the token, or empty when the integration holds none and cannot obtain one (an API-key
     *     provider); the chain then sends no {@code Authorization} header
     * @throws com.castiel.sync.spi.SyncException.AuthFailed when a needed refresh is refused
     * @throws com.castiel.sync.spi.SyncException other subtypes when the refresh fails transiently
     */
    Optional<String> current();

    /**
     * Called after the provider rejected {@code rejected} as expired. Refreshes only when
     * {@code rejected} is still the current token: when many requests fail with the same stale
     * token, the first caller refreshes and the others receive the token it obtained.
     *
     * @param rejected the token the provider refused, never {@code null}
     * @return a token different from {@code rejected} whenever a refresh produced one
     * @throws com.castiel.sync.spi.SyncException.AuthFailed when the integration cannot refresh or
     *     the grant is refused
     */
    String refreshAfterRejection(String rejected);
}
