package com.castiel.sync.engine;

import com.castiel.sync.auth.IntegrationTokens;
import com.castiel.sync.auth.TokenLifecycle;
import com.castiel.sync.http.HttpTransport;
import com.castiel.sync.http.RequestPermits;
import com.castiel.sync.model.Integration;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.ratelimit.ProviderLimitDefaults;
import com.castiel.sync.ratelimit.ProviderLimits;
import com.castiel.sync.ratelimit.ProviderRateLimiter;
import com.castiel.sync.ratelimit.RateLimitKey;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates adapters for integrations, each with its own {@link HostAdapterContext}: the token
 * supplier of the integration, the rate-limit permits of its provider and org (provider defaults
 * with the integration's {@code rateLimits} overrides), and the host's transport, clock and
 * sleeper. Once the adapter exists, its {@link ProviderAdapter#refreshCredentials} is bound as
 * the integration's token grant (when it declares {@link Capability#TOKEN_REFRESH}).
 *
 * <p>Thread-safe; one per host. Creating an adapter does no I/O.
 */
public final class HostAdapterContextFactory {

    private static final Logger LOG = LoggerFactory.getLogger(HostAdapterContextFactory.class);

    private final Function<String, Optional<ProviderAdapterFactory>> adapterFactories;
    private final TokenLifecycle tokens;
    private final ProviderRateLimiter rateLimiter;
    private final HttpTransport transport;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HostAdapterContext.HttpSettings http;
    private final Set<String> warnedProviders = ConcurrentHashMap.newKeySet();

    /**
     * @param adapterFactories finds the adapter factory of a provider id (the adapter registry)
     */
    public HostAdapterContextFactory(Function<String, Optional<ProviderAdapterFactory>> adapterFactories,
                                     TokenLifecycle tokens, ProviderRateLimiter rateLimiter, HttpTransport transport,
                                     Clock clock, Sleeper sleeper, HostAdapterContext.HttpSettings http) {
        this.adapterFactories = Objects.requireNonNull(adapterFactories, "adapterFactories");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * Creates the adapter of an integration, ready to use; the caller closes it.
     *
     * @throws SyncException.Configuration when no adapter is registered for the provider, or the
     *     adapter rejects the integration's settings (the message names the setting)
     */
    public ProviderAdapter openAdapter(Integration integration) {
        String provider = integration.provider();
        ProviderAdapterFactory factory = adapterFactories.apply(provider)
                .orElseThrow(() -> new SyncException.Configuration("no adapter is registered for provider '" + provider
                        + "' (integration " + integration.id() + "); add the provider's adapter module to the class path",
                        SyncException.Details.of(provider, 0, null)));
        HostAdapterContext context = contextFor(integration);
        ProviderAdapter adapter = factory.create(context,
                new ProviderSettings(provider, integration.structuredData().settings()));
        if (adapter == null) {
            throw new SyncException.Configuration("the adapter factory of provider '" + provider + "' returned no adapter",
                    SyncException.Details.of(provider, 0, null));
        }
        if (adapter.capabilities().contains(Capability.TOKEN_REFRESH)) {
            context.tokens().bindRefresh(adapter::refreshCredentials);
        }
        return adapter;
    }

    /**
     * The context of an integration, without an adapter: its token supplier has no grant bound.
     * For adapters built by hand (tests, tools); {@link #openAdapter} is the normal way.
     */
    public HostAdapterContext contextFor(Integration integration) {
        Objects.requireNonNull(integration, "integration");
        String provider = integration.provider();
        if (ProviderLimitDefaults.documented(provider).isEmpty() && warnedProviders.add(provider)) {
            LOG.warn("provider '{}' has no documented rate limits; using {} until rateLimits are configured",
                    provider, ProviderLimitDefaults.FALLBACK.allowances());
        }
        ProviderLimits limits = ProviderLimitDefaults.forProvider(provider)
                .withOverrides(integration.structuredData().rateLimits());
        RequestPermits permits = rateLimiter.permits(RateLimitKey.of(integration), limits);
        IntegrationTokens integrationTokens = tokens.tokensFor(integration.tenantId(), integration.id(), provider);
        return new HostAdapterContext(integration, integrationTokens, permits, transport, clock, sleeper, http);
    }
}
