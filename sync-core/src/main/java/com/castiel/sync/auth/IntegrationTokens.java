package com.castiel.sync.auth;

import com.castiel.sync.http.AccessTokens;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The valid-token supplier of one integration: what the HTTP chain's
 * {@link com.castiel.sync.http.BearerAuthentication} and an adapter's
 * {@link com.castiel.sync.spi.AdapterContext#credentials()} read. Obtained from
 * {@link TokenLifecycle#tokensFor}; all suppliers of one integration on a host share its
 * single-flight state.
 *
 * <p>Refreshing needs the adapter's grant, which exists only once the adapter does: the host
 * binds it with {@link #bindRefresh} right after creating the adapter. Without a binding (an
 * adapter without {@code TOKEN_REFRESH}) stored tokens are handed out as they are and a rejection
 * is final.
 *
 * <p>Thread-safe.
 */
public final class IntegrationTokens implements AccessTokens {

    private final TokenLifecycle lifecycle;
    private final TokenLifecycle.TokenState state;
    private final String provider;
    private final AtomicReference<CredentialRefresh> refresh = new AtomicReference<>();

    IntegrationTokens(TokenLifecycle lifecycle, TokenLifecycle.TokenState state, String provider) {
        this.lifecycle = lifecycle;
        this.state = state;
        this.provider = provider;
    }

    /**
     * Binds the grant used to refresh, once.
     *
     * @throws IllegalStateException when a grant is already bound
     */
    public void bindRefresh(CredentialRefresh grant) {
        Objects.requireNonNull(grant, "grant");
        if (!refresh.compareAndSet(null, grant)) {
            throw new IllegalStateException("a token refresh is already bound for integration " + state.key.integration());
        }
    }

    /** Whether a grant is bound. */
    public boolean canRefresh() {
        return refresh.get() != null;
    }

    public TenantId tenantId() {
        return state.key.tenant();
    }

    public IntegrationId integrationId() {
        return state.key.integration();
    }

    @Override
    public Optional<String> current() {
        return Optional.ofNullable(credentials().accessToken()).filter(t -> !t.isBlank());
    }

    /** The credentials as stored (or held after a failed store write), never refreshing. */
    public Credentials storedCredentials() {
        return lifecycle.credentials(state);
    }

    /**
     * The integration's credentials with a valid access token when one can be had: refreshed
     * first when missing, expired or about to expire and a grant is bound. Called from inside the
     * grant itself, returns the credentials as they are rather than waiting on its own refresh.
     *
     * @throws SyncException.AuthFailed when no credentials are stored or the grant is refused
     */
    public Credentials credentials() {
        Credentials c = lifecycle.credentials(state);
        CredentialRefresh grant = refresh.get();
        if (grant == null || state.refreshingThread == Thread.currentThread() || !lifecycle.needsRefresh(c)) {
            return c;
        }
        return lifecycle.refreshIf(state, provider, lifecycle::needsRefresh, grant).credentials();
    }

    @Override
    public String refreshAfterRejection(String rejected) {
        Objects.requireNonNull(rejected, "rejected");
        CredentialRefresh grant = refresh.get();
        if (grant == null) {
            throw new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED, provider
                    + " rejected the access token of integration " + state.key.integration()
                    + " and its adapter cannot refresh tokens; re-authorise the integration",
                    SyncException.Details.of(provider, 401, null));
        }
        Credentials c = lifecycle.refreshIf(state, provider,
                stored -> stored.accessToken() == null || stored.accessToken().equals(rejected), grant).credentials();
        return c.accessToken();
    }
}
