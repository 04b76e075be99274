package com.castiel.sync.auth;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every integration's tokens valid, on one host: the shared state behind each
 * {@link IntegrationTokens} and the {@link ProactiveTokenRefresher}.
 *
 * <p><b>Single flight.</b> At most one refresh per integration is in flight on this host.
 * Callers that need a refresh while one runs wait for it and share its outcome, success or
 * failure; they never start a second grant with a refresh token the first one is rotating.
 * Before deciding to refresh, the stored credentials are re-read, so a refresh another caller
 * (or another host) already completed is used instead of repeated.
 *
 * <p><b>Persistence.</b> The grant's result is written to the {@link CredentialStore} in one
 * {@code put}, so a rotated refresh token is stored together with its access token. When the
 * grant returns no refresh token the old one is kept. If the store refuses the write, the new
 * credentials stay in memory and the write is retried on every later use until it succeeds, so
 * a rotated refresh token is not lost while the host runs.
 *
 * <p><b>Expiry.</b> A token counts as expired {@code expirySkew} before its {@code expiresAt}.
 * Tokens without a known expiry (Salesforce returns no {@code expires_in}) are refreshed only
 * after the provider rejects them.
 *
 * <p>Thread-safe; one instance per host. Never logs a token.
 */
public final class TokenLifecycle {

    /** How long before its expiry a token is refreshed on use, by default. */
    public static final Duration DEFAULT_EXPIRY_SKEW = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(TokenLifecycle.class);

    private final CredentialStore store;
    private final TokenRefreshFailures failures;
    private final Clock clock;
    private final Duration expirySkew;
    private final ConcurrentMap<IntegrationKey, TokenState> states = new ConcurrentHashMap<>();

    public TokenLifecycle(CredentialStore store, TokenRefreshFailures failures, Clock clock, Duration expirySkew) {
        this.store = Objects.requireNonNull(store, "store");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.expirySkew = Objects.requireNonNull(expirySkew, "expirySkew");
        if (expirySkew.isNegative()) {
            throw new IllegalArgumentException("expirySkew must not be negative, got " + expirySkew);
        }
    }

    /**
     * The token supplier of one integration. Call {@link IntegrationTokens#bindRefresh} once the
     * adapter exists; until then the supplier only hands out stored tokens.
     */
    public IntegrationTokens tokensFor(TenantId tenant, IntegrationId integration, String provider) {
        Objects.requireNonNull(provider, "provider");
        return new IntegrationTokens(this, state(new IntegrationKey(tenant, integration)), provider);
    }

    /**
     * Refreshes an integration's tokens if, as stored, they expire before {@code horizon}.
     *
     * @return true when a refresh happened (here or in a flight this call joined); false when the
     *     stored token was already valid past {@code horizon}
     * @throws SyncException when the refresh failed (the failure has been recorded)
     */
    public boolean refreshIfExpiringBefore(TenantId tenant, IntegrationId integration, String provider,
                                           CredentialRefresh refresh, Instant horizon) {
        TokenState state = state(new IntegrationKey(tenant, integration));
        return refreshIf(state, provider, c -> lacksToken(c) || c.expiresBefore(horizon), refresh).refreshed();
    }

    /** Drops what this host holds for an integration (after it was deleted or re-authorised). */
    public void forget(TenantId tenant, IntegrationId integration) {
        states.remove(new IntegrationKey(tenant, integration));
    }

    /** Whether a token must be refreshed before use: missing, expired, or expiring within the skew. */
    boolean needsRefresh(Credentials c) {
        return lacksToken(c) || c.expiresBefore(clock.instant().plus(expirySkew));
    }

    /** The last known credentials, read from the store on first use. */
    Credentials credentials(TokenState state) {
        flushUnpersisted(state);
        Credentials c = state.cached;
        if (c != null) {
            return c;
        }
        state.lock.lock();
        try {
            return state.cached != null ? state.cached : load(state);
        } finally {
            state.lock.unlock();
        }
    }

    /**
     * Refreshes when {@code needed} holds for the stored credentials, joining a refresh already in
     * flight instead of starting another.
     */
    Outcome refreshIf(TokenState state, String provider, Predicate<Credentials> needed, CredentialRefresh refresh) {
        CompletableFuture<Credentials> flight;
        Credentials base;
        state.lock.lock();
        try {
            if (state.inFlight != null) {
                flight = state.inFlight;
                base = null;
            } else {
                tryWriteUnpersisted(state);
                base = load(state);
                if (!needed.test(base)) {
                    return new Outcome(base, false);
                }
                flight = new CompletableFuture<>();
                state.inFlight = flight;
            }
        } finally {
            state.lock.unlock();
        }
        if (base == null) {
            return new Outcome(await(flight), true);
        }
        state.refreshingThread = Thread.currentThread();
        try {
            Credentials next = grant(state, provider, refresh, base);
            flight.complete(next);
            return new Outcome(next, true);
        } catch (RuntimeException | Error e) {
            // an Error too: callers joined to this flight would otherwise wait for it forever
            flight.completeExceptionally(e);
            throw e;
        } finally {
            state.refreshingThread = null;
            state.lock.lock();
            try {
                state.inFlight = null;
            } finally {
                state.lock.unlock();
            }
        }
    }

    private Credentials grant(TokenState state, String provider, CredentialRefresh refresh, Credentials base) {
        IntegrationKey key = state.key;
        Credentials next;
        try {
            next = refresh.refresh(base);
            if (next == null || lacksToken(next)) {
                throw new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS,
                        "the " + provider + " token grant for integration " + key.integration() + " returned no access token",
                        SyncException.Details.of(provider, 0, null));
            }
        } catch (RuntimeException e) {
            failures.recordFailure(key.tenant(), key.integration(), provider, e);
            throw e;
        }
        if (next.refreshToken() == null && base.refreshToken() != null) {
            next = new Credentials(next.accessToken(), base.refreshToken(), next.expiresAt(), next.instanceUrl(),
                    next.issuedAt(), next.properties());
        }
        state.lock.lock();
        try {
            state.cached = next;
            state.unpersisted = next;
            writeUnpersisted(state);
        } catch (RuntimeException e) {
            LOG.error("refreshed credentials of integration {} could not be stored ({}); they are kept in memory and the "
                    + "write is retried on next use", key.integration(), e.getClass().getSimpleName());
        } finally {
            state.lock.unlock();
        }
        failures.recordSuccess(key.tenant(), key.integration());
        return next;
    }

    /** Retries a failed credential write, outside any refresh; failures are left for the next use. */
    private void flushUnpersisted(TokenState state) {
        if (state.unpersisted == null || !state.lock.tryLock()) {
            return;
        }
        try {
            tryWriteUnpersisted(state);
        } finally {
            state.lock.unlock();
        }
    }

    /** Writes pending credentials if any, leaving them pending when the store fails; must hold the lock. */
    private void tryWriteUnpersisted(TokenState state) {
        try {
            writeUnpersisted(state);
        } catch (RuntimeException e) {
            LOG.debug("credentials of integration {} still not stored: {}", state.key.integration(), e.getClass().getSimpleName());
        }
    }

    /** Writes pending credentials; must hold the lock. */
    private void writeUnpersisted(TokenState state) {
        Credentials pending = state.unpersisted;
        if (pending != null) {
            store.put(state.key.tenant(), state.key.integration(), pending);
            state.unpersisted = null;
        }
    }

    /** Reads the stored credentials into the cache; must hold the lock. Pending writes win. */
    private Credentials load(TokenState state) {
        if (state.unpersisted != null) {
            return state.unpersisted;
        }
        IntegrationKey key = state.key;
        Optional<Credentials> found;
        try {
            found = store.get(key.tenant(), key.integration());
        } catch (SyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "could not read the credentials of integration "
                    + key.integration() + " (" + e.getClass().getSimpleName() + ")", null, SyncException.Details.NONE, e);
        }
        Credentials stored = found
                .orElseThrow(() -> new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS,
                        "no credentials are stored for integration " + key.integration() + "; connect the integration first",
                        SyncException.Details.NONE));
        state.cached = stored;
        return stored;
    }

    private static Credentials await(CompletableFuture<Credentials> flight) {
        try {
            return flight.join();
        } catch (CompletionException | CancellationException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static boolean lacksToken(Credentials c) {
        return c.accessToken() == null || c.accessToken().isBlank();
    }

    private TokenState state(IntegrationKey key) {
        return states.computeIfAbsent(key, TokenState::new);
    }

    /** The result of a refresh check: the credentials to use and whether a refresh produced them. */
    record Outcome(Credentials credentials, boolean refreshed) {
    }

    /** What this host knows about one integration's tokens. */
    static final class TokenState {
        final IntegrationKey key;
        final ReentrantLock lock = new ReentrantLock();
        /** Last known credentials; null until first read. */
        volatile Credentials cached;
        /** Credentials obtained but not yet stored; guarded by {@link #lock}, read racily as a hint. */
        volatile Credentials unpersisted;
        /** The refresh in flight; guarded by {@link #lock}. */
        CompletableFuture<Credentials> inFlight;
        /** The thread performing the refresh, so an adapter that reads its context mid-grant does not wait on itself. */
        volatile Thread refreshingThread;

        TokenState(IntegrationKey key) {
            this.key = key;
        }
    }
}
