package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.auth.IntegrationTokens;
import com.castiel.sync.auth.TokenLifecycle;
import com.castiel.sync.auth.TokenRefreshFailures;
import com.castiel.sync.engine.HostAdapterContext;
import com.castiel.sync.engine.HostAdapterContextFactory;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.JdkHttpTransport;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.ratelimit.ProviderLimitDefaults;
import com.castiel.sync.ratelimit.ProviderRateLimiter;
import com.castiel.sync.ratelimit.RateLimitKey;
import com.castiel.sync.registry.AdapterRegistry;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.testkit.fake.salesforce.FakeSalesforce;
import com.castiel.sync.testkit.memory.InMemoryCredentialStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.time.ManualSleeper;
import com.castiel.sync.testkit.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A fake Salesforce org and the host around the adapter: the real HTTP chain
 * ({@link HostAdapterContextFactory}), token lifecycle, rate limiter, an in-memory credential
 * store, a mutable clock and a sleeper that advances it. The adapter is found through
 * {@code ServiceLoader}, as in production.
 */
final class SalesforceHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final TenantId TENANT = TenantId.of("tenant-sf");
    static final IntegrationId INTEGRATION = IntegrationId.of("int-sf");

    final MutableClock clock = new MutableClock(START);
    final ManualSleeper sleeper = new ManualSleeper(clock);
    final FakeSalesforce fake = new FakeSalesforce(clock).start();
    final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    final TokenLifecycle tokens = new TokenLifecycle(credentials,
            new TokenRefreshFailures(new InMemoryIntegrationStore(clock), e -> { }, new SimpleMeterRegistry(), clock, 3),
            clock, TokenLifecycle.DEFAULT_EXPIRY_SKEW);
    final ProviderRateLimiter limiter = new ProviderRateLimiter(clock, sleeper, new SimpleMeterRegistry());
    final AdapterRegistry registry = AdapterRegistry.discover(SalesforceHarness.class.getClassLoader());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    final JdkHttpTransport transport = new JdkHttpTransport(http, Duration.ofSeconds(20));
    final HostAdapterContextFactory contexts = new HostAdapterContextFactory(registry::find, tokens, limiter, transport, clock,
            sleeper, HostAdapterContext.HttpSettings.DEFAULT);
    /** Usage the adapter reported ({@code used/limit}), in order. */
    final List<String> reportedUsage = new CopyOnWriteArrayList<>();

    /** The settings every test integration starts with. */
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("loginUrl", fake.loginUrl().toString());
        s.put("orgId", fake.orgId());
        return s;
    }

    Integration integration(Map<String, String> settings) {
        IntegrationData data = IntegrationData.of("salesforce", List.of()).withSettings(settings);
        return new Integration(INTEGRATION, TENANT, "salesforce test", data, 1, START, START);
    }

    /** Refresh-token credentials of the fake's connected app, with no access token yet. */
    Credentials refreshTokenCredentials() {
        return new Credentials(null, fake.issueRefreshToken(), null, null, null,
                Map.of("client_id", FakeSalesforce.CLIENT_ID, "client_secret", FakeSalesforce.CLIENT_SECRET));
    }

    /** An adapter with refresh-token credentials and the default settings, opened by the host. */
    ProviderAdapter open() {
        return open(settings(), refreshTokenCredentials());
    }

    ProviderAdapter open(Map<String, String> settings, Credentials stored) {
        credentials.put(TENANT, INTEGRATION, stored);
        return contexts.openAdapter(integration(settings));
    }

    /**
     * Like {@link #open(Map, Credentials)} but with a context that records what the adapter
     * reports to the rate limiter.
     */
    ProviderAdapter openRecordingUsage(Map<String, String> settings, Credentials stored) {
        credentials.put(TENANT, INTEGRATION, stored);
        Integration integration = integration(settings);
        IntegrationTokens integrationTokens = tokens.tokensFor(TENANT, INTEGRATION, "salesforce");
        HostAdapterContext host = new HostAdapterContext(integration, integrationTokens,
                limiter.permits(RateLimitKey.of(integration), ProviderLimitDefaults.forProvider("salesforce")), transport, clock,
                sleeper, HostAdapterContext.HttpSettings.DEFAULT);
        AdapterContext recording = new AdapterContext() {
            @Override
            public IntegrationId integrationId() {
                return host.integrationId();
            }

            @Override
            public TenantId tenantId() {
                return host.tenantId();
            }

            @Override
            public Clock clock() {
                return host.clock();
            }

            @Override
            public SyncHttpClient apiClient(HttpErrorClassifier classifier) {
                return host.apiClient(classifier);
            }

            @Override
            public SyncHttpClient tokenClient(HttpErrorClassifier classifier) {
                return host.tokenClient(classifier);
            }

            @Override
            public Credentials credentials() {
                return host.credentials();
            }

            @Override
            public Credentials storedCredentials() {
                return host.storedCredentials();
            }

            @Override
            public void reportUsage(long used, long limit) {
                reportedUsage.add(used + "/" + limit);
                host.reportUsage(used, limit);
            }

            @Override
            public void reportPause(Duration pause) {
                host.reportPause(pause);
            }
        };
        ProviderAdapter adapter = new SalesforceAdapterFactory().create(recording, new ProviderSettings("salesforce", settings));
        integrationTokens.bindRefresh(adapter::refreshCredentials);
        return adapter;
    }

    /** The credentials as the host stored them. */
    Credentials stored() {
        return credentials.get(TENANT, INTEGRATION).orElseThrow();
    }

    @Override
    public void close() {
        fake.close();
        http.close();
        if (!fake.handlerFailures().isEmpty()) {
            throw new AssertionError("the fake Salesforce failed internally: " + fake.handlerFailures());
        }
    }
}
