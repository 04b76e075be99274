package com.castiel.sync.testkit.adapter;

import com.castiel.sync.auth.TokenLifecycle;
import com.castiel.sync.auth.TokenRefreshFailures;
import com.castiel.sync.engine.HostAdapterContext;
import com.castiel.sync.engine.HostAdapterContextFactory;
import com.castiel.sync.http.JdkHttpTransport;
import com.castiel.sync.http.RequestRetryPolicy;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.testkit.memory.InMemoryCredentialStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The engine's own adapter hosting — {@link HostAdapterContextFactory}, {@link TokenLifecycle},
 * the provider rate limiter and the real HTTP interceptor chain — assembled in memory for one
 * integration, so an adapter under test runs exactly as it will in production:
 * the same {@code Authorization} handling, refresh-once-and-replay, single-flight token refresh
 * with persistence of rotated refresh tokens, reply classification and request log.
 *
 * <p>Two settings differ from a production host, both so that the contract can observe the
 * adapter rather than the host: request-level retries are off ({@link RequestRetryPolicy#NONE}),
 * so an injected 503 reaches the caller as the adapter classified it; and the rate limits are
 * set far above anything a test sends, with a sleeper that fails instead of waiting, because a
 * fake's clock stands still and a wait for tokens would never end.
 *
 * <p>Credentials live in an {@link InMemoryCredentialStore}; refreshes are persisted there, as a
 * host does. Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class ContractHost implements AutoCloseable {

    /** The tenant of the contract's integration. */
    public static final TenantId TENANT = TenantId.of("contract-tenant");

    /** The contract's integration. */
    public static final IntegrationId INTEGRATION = IntegrationId.of("contract-integration");

    private static final RateLimitSettings UNLIMITED = new RateLimitSettings(1_000_000, 60_000_000, 1_000_000_000_000L);

    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final InMemoryIntegrationStore integrations;
    private final RecordingEventPublisher events = new RecordingEventPublisher();
    private final HttpClient httpClient;
    private final HostAdapterContextFactory contexts;
    private final Integration integration;

    /**
     * @param factory the adapter factory under test
     * @param settings the integration's provider settings
     * @param initial the integration's stored credentials
     * @param clock the clock of the host and the adapter (the fake's clock)
     * @param requestTimeout per-attempt timeout of API and token calls
     */
    public ContractHost(ProviderAdapterFactory factory, ProviderSettings settings, Credentials initial, Clock clock, Duration requestTimeout) {
        Objects.requireNonNull(factory, "factory");
        this.integrations = new InMemoryIntegrationStore(clock);
        IntegrationData data = new IntegrationData(factory.id(), null, settings.values(), List.of(), List.of(), null, null, null, null,
                null, null, null, null, UNLIMITED);
        this.integration = integrations.create(new Integration(INTEGRATION, TENANT, "adapter contract", data, 0, clock.instant(), clock.instant()));
        credentials.put(TENANT, INTEGRATION, Objects.requireNonNull(initial, "initial"));

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TokenRefreshFailures failures = new TokenRefreshFailures(integrations, events, meters, clock, TokenRefreshFailures.DEFAULT_REAUTH_AFTER);
        TokenLifecycle tokens = new TokenLifecycle(credentials, failures, clock, TokenLifecycle.DEFAULT_EXPIRY_SKEW);
        Sleeper neverWaits = d -> {
            throw new AssertionError("the contract host never waits, but was asked to sleep " + d
                    + " (a rate limit or retry in the chain): the fake's clock stands still, so this would hang");
        };
        var rateLimiter = new com.castiel.sync.ratelimit.ProviderRateLimiter(clock, neverWaits, meters);
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        JdkHttpTransport transport = new JdkHttpTransport(httpClient, requestTimeout);
        this.contexts = new HostAdapterContextFactory(
                id -> id.equals(factory.id()) ? Optional.of(factory) : Optional.empty(),
                tokens, rateLimiter, transport, clock, neverWaits,
                new HostAdapterContext.HttpSettings(RequestRetryPolicy.NONE, requestTimeout, requestTimeout));
    }

    /**
     * Creates the adapter through the host: the factory gets a {@link HostAdapterContext} and the
     * integration's settings, and the adapter's grant is bound for token refresh. No I/O.
     */
    public ProviderAdapter openAdapter() {
        return contexts.openAdapter(integration);
    }

    /**
     * A host context for the integration without a bound token grant, for building adapters by
     * hand (factory validation tests); {@link #openAdapter()} is the normal way.
     */
    public HostAdapterContext context() {
        return contexts.contextFor(integration);
    }

    /** The credentials as the host has persisted them (after any refresh). */
    public Credentials storedCredentials() {
        return credentials.get(TENANT, INTEGRATION).orElseThrow();
    }

    /** The integration as stored (its status shows {@code needs_reauth} after repeated refusals). */
    public Integration integration() {
        return integrations.get(TENANT, INTEGRATION).orElseThrow();
    }

    /** Events the host published (token refresh failures). */
    public RecordingEventPublisher events() {
        return events;
    }

    @Override
    public void close() {
        httpClient.close();
    }
}
