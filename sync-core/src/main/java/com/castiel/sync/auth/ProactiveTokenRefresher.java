package com.castiel.sync.auth;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes tokens before they expire (the seed's TokenRefresher): every integration whose stored
 * access token expires within {@code window} (2 hours by default) is refreshed through the same
 * single-flight path as on-demand refreshes, so it never races a sync that is refreshing too.
 *
 * <p>Failures are recorded by {@link TokenRefreshFailures}: metric, notification event, and
 * {@code needs_reauth} after repeated refusals. Integrations already {@code needs_reauth} are
 * skipped: only an operator's re-authorisation helps them. Paused integrations are refreshed, so
 * their refresh tokens stay alive.
 *
 * <p>Run it from a timer (the Functions TokenRefresher, the standalone scheduler). One run is
 * sequential; a failure of one integration never stops the others. Thread-safe, but runs should
 * not overlap.
 */
public final class ProactiveTokenRefresher {

    /** Tokens expiring within this are refreshed, by default. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(2);

    private static final Logger LOG = LoggerFactory.getLogger(ProactiveTokenRefresher.class);

    private final CredentialStore credentials;
    private final IntegrationStore integrations;
    private final TokenLifecycle tokens;
    private final TokenRefreshFailures failures;
    private final Function<Integration, ProviderAdapter> adapters;
    private final Clock clock;
    private final Duration window;

    /**
     * @param adapters opens an adapter for an integration (the engine's
     *     {@code HostAdapterContextFactory::openAdapter}); the refresher closes it after use
     */
    public ProactiveTokenRefresher(CredentialStore credentials, IntegrationStore integrations, TokenLifecycle tokens,
                                   TokenRefreshFailures failures, Function<Integration, ProviderAdapter> adapters,
                                   Clock clock, Duration window) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, got " + window);
        }
    }

    /** Refreshes every integration whose token expires within the window. */
    public RefreshSummary refreshExpiring() {
        Instant horizon = clock.instant().plus(window);
        int refreshed = 0;
        int fresh = 0;
        int failed = 0;
        int skipped = 0;
        for (CredentialStore.CredentialRef ref : credentials.expiringBefore(horizon)) {
            Optional<Integration> found;
            try {
                found = integrations.get(ref.tenantId(), ref.integrationId());
            } catch (RuntimeException e) {
                LOG.error("could not read integration {} for a token refresh: {}", ref.integrationId(), e.getClass().getSimpleName());
                failed++;
                continue;
            }
            if (found.isEmpty() || found.get().status() == IntegrationStatus.NEEDS_REAUTH) {
                skipped++;
                continue;
            }
            switch (refresh(found.get(), horizon)) {
                case REFRESHED -> refreshed++;
                case ALREADY_FRESH -> fresh++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
        }
        RefreshSummary summary = new RefreshSummary(refreshed, fresh, failed, skipped);
        LOG.info("proactive token refresh: {} refreshed, {} already fresh, {} failed, {} skipped",
                refreshed, fresh, failed, skipped);
        return summary;
    }

    private Result refresh(Integration integration, Instant horizon) {
        ProviderAdapter adapter;
        try {
            adapter = adapters.apply(integration);
        } catch (RuntimeException e) {
            failures.recordFailure(integration.tenantId(), integration.id(), integration.provider(), e);
            return Result.FAILED;
        }
        try (adapter) {
            if (!adapter.capabilities().contains(Capability.TOKEN_REFRESH)) {
                return Result.SKIPPED;
            }
            boolean done = tokens.refreshIfExpiringBefore(integration.tenantId(), integration.id(), integration.provider(),
                    adapter::refreshCredentials, horizon);
            return done ? Result.REFRESHED : Result.ALREADY_FRESH;
        } catch (RuntimeException e) {
            // grant failures were recorded by the token lifecycle; this is the run's own bookkeeping
            LOG.debug("token refresh of integration {} failed: {}", integration.id(), e.getClass().getSimpleName());
            return Result.FAILED;
        }
    }

    private enum Result { REFRESHED, ALREADY_FRESH, FAILED, SKIPPED }
}
