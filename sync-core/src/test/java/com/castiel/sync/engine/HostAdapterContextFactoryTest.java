package com.castiel.sync.engine;

import static com.castiel.sync.hostfixtures.Replies.json;
import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.auth.TokenLifecycle;
import com.castiel.sync.auth.TokenRefreshFailures;
import com.castiel.sync.hostfixtures.InMemoryCredentialStore;
import com.castiel.sync.hostfixtures.InMemoryIntegrationStore;
import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.RecordingSleeper;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.http.BearerAuthentication;
import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.RateLimiting;
import com.castiel.sync.http.RedactingRequestLog;
import com.castiel.sync.http.ReplyClassification;
import com.castiel.sync.http.RequestRetry;
import com.castiel.sync.http.RequestTimeout;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.ratelimit.ProviderRateLimiter;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.SyncException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostAdapterContextFactoryTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId ID = IntegrationId.of("int-ref");
    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final FetchRequest FETCH = new FetchRequest("Account", null, null, null, null, null, 100);

    private final MutableClock clock = new MutableClock(NOW);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final TokenLifecycle tokens = new TokenLifecycle(credentials,
            new TokenRefreshFailures(new InMemoryIntegrationStore(clock), e -> { }, new SimpleMeterRegistry(), clock, 3),
            clock, TokenLifecycle.DEFAULT_EXPIRY_SKEW);
    private final ProviderRateLimiter limiter = new ProviderRateLimiter(clock, sleeper, new SimpleMeterRegistry());
    private final TokenEndpointAdapterFactory refreshing = new TokenEndpointAdapterFactory("reference", true);
    private final TokenEndpointAdapterFactory apiKeyOnly = new TokenEndpointAdapterFactory("api-key-crm", false);
    private final List<HttpCall> calls = Collections.synchronizedList(new ArrayList<>());

    /** The provider: a token endpoint that rotates refresh tokens and an API that wants the fresh token. */
    private HttpReply provider(HttpCall call) {
        calls.add(call);
        String path = call.uri().getPath();
        if (path.equals(TokenEndpointAdapterFactory.TOKEN_PATH)) {
            String form = new String(call.body(), StandardCharsets.UTF_8);
            return form.contains("refresh_token=rt-1")
                    ? json(200, "{\"access_token\":\"fresh\",\"refresh_token\":\"rt-2\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")
                    : json(400, "{\"error\":\"invalid_grant\"}");
        }
        return call.header("authorization").filter("Bearer fresh"::equals).isPresent() ? json(200, "{\"records\":[]}") : status(401);
    }

    private final HostAdapterContextFactory factory = new HostAdapterContextFactory(
            id -> Optional.<ProviderAdapterFactory>of(refreshing).filter(f -> f.id().equals(id))
                    .or(() -> Optional.<ProviderAdapterFactory>of(apiKeyOnly).filter(f -> f.id().equals(id))),
            tokens, limiter, this::provider, clock, sleeper, HostAdapterContext.HttpSettings.DEFAULT);

    private Integration integration(String provider, RateLimitSettings limits) {
        IntegrationData data = IntegrationData.of(provider, List.of())
                .withSettings(Map.of("baseUrl", "https://api.reference.test"))
                .withRateLimits(limits);
        return new Integration(ID, TENANT, "ref", data, 1, NOW, NOW);
    }

    private void store(String accessToken, Instant expiresAt) {
        credentials.seed(TENANT, ID, new Credentials(accessToken, "rt-1", expiresAt, null, null, Map.of("client_id", "cid")));
    }

    @Test
    void the_api_chain_runs_in_the_documented_order() {
        HostAdapterContext context = factory.contextFor(integration("reference", null));

        assertThat(context.apiClient(new StatusClassifier("reference")).interceptors()).map(Object::getClass).containsExactly(
                RequestRetry.class, BearerAuthentication.class, RateLimiting.class, RequestTimeout.class,
                RedactingRequestLog.class, ReplyClassification.class);
        assertThat(context.tokenClient(new StatusClassifier("reference")).interceptors()).map(Object::getClass).containsExactly(
                RequestRetry.class, RateLimiting.class, RequestTimeout.class, RedactingRequestLog.class, ReplyClassification.class);
    }

    @Test
    void an_opened_adapter_refreshes_an_expired_token_through_its_own_grant() {
        store("expired", NOW.minusSeconds(10));

        try (ProviderAdapter adapter = factory.openAdapter(integration("reference", null))) {
            adapter.fetch(FETCH);
        }

        assertThat(calls).extracting(c -> c.uri().getPath())
                .containsExactly(TokenEndpointAdapterFactory.TOKEN_PATH, TokenEndpointAdapterFactory.RECORDS_PATH);
        assertThat(calls.get(0).header("authorization")).isEmpty();
        assertThat(calls.get(1).header("authorization")).contains("Bearer fresh");
        Credentials stored = credentials.get(TENANT, ID).orElseThrow();
        assertThat(stored.accessToken()).isEqualTo("fresh");
        assertThat(stored.refreshToken()).isEqualTo("rt-2");
        assertThat(stored.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    }

    @Test
    void a_rejected_token_is_refreshed_through_the_adapter_and_the_call_replayed() {
        store("revoked-but-not-expired", null);

        try (ProviderAdapter adapter = factory.openAdapter(integration("reference", null))) {
            adapter.fetch(FETCH);
        }

        assertThat(calls).extracting(c -> c.uri().getPath()).containsExactly(TokenEndpointAdapterFactory.RECORDS_PATH,
                TokenEndpointAdapterFactory.TOKEN_PATH, TokenEndpointAdapterFactory.RECORDS_PATH);
    }

    @Test
    void an_adapter_without_token_refresh_fails_for_good_on_a_rejected_token() {
        store("revoked", null);

        try (ProviderAdapter adapter = factory.openAdapter(integration("api-key-crm", null))) {
            assertThatThrownBy(() -> adapter.fetch(FETCH)).isInstanceOf(SyncException.AuthFailed.class);
        }
        assertThat(calls).hasSize(1);
    }

    @Test
    void calls_get_the_default_timeouts_of_their_chain() {
        store("expired", NOW.minusSeconds(10));

        try (ProviderAdapter adapter = factory.openAdapter(integration("reference", null))) {
            adapter.fetch(FETCH);
        }

        assertThat(calls.get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(calls.get(1).timeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void the_integrations_rate_limit_override_paces_its_calls() {
        store("fresh", NOW.plusSeconds(3600));

        try (ProviderAdapter adapter = factory.openAdapter(integration("reference", new RateLimitSettings(1, null, null)))) {
            adapter.fetch(FETCH);
            adapter.fetch(FETCH);
            adapter.fetch(FETCH);
        }

        // one a second, paced one at a time with a 2 % margin
        assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(2040));
    }

    @Test
    void the_replay_after_a_refresh_takes_a_rate_limit_permit_of_its_own() {
        store("revoked-but-not-expired", null);

        try (ProviderAdapter adapter = factory.openAdapter(integration("reference", new RateLimitSettings(1, null, null)))) {
            adapter.fetch(FETCH);
        }

        // three exchanges (the rejected call, the token grant, the replay) at one per 1.02 s
        assertThat(calls).hasSize(3);
        assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(2040));
    }

    @Test
    void a_pause_reported_by_the_adapter_holds_back_the_next_call() {
        store("fresh", NOW.plusSeconds(3600));
        HostAdapterContext context = factory.contextFor(integration("reference", null));

        context.reportPause(Duration.ofSeconds(15));
        context.apiClient(new StatusClassifier("reference")).send(HttpCall.get(URI.create("https://api.reference.test/v1/records")));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(15));
    }

    @Test
    void the_adapter_receives_the_integrations_settings_and_context() {
        store("fresh", NOW.plusSeconds(3600));
        HostAdapterContext context = factory.contextFor(integration("reference", null));

        assertThat(context.integrationId()).isEqualTo(ID);
        assertThat(context.tenantId()).isEqualTo(TENANT);
        assertThat(context.clock()).isSameAs(clock);
        assertThat(context.credentials().accessToken()).isEqualTo("fresh");

        factory.openAdapter(integration("reference", null)).close();
        assertThat(refreshing.lastSettings.values()).containsEntry("baseUrl", "https://api.reference.test");
        assertThat(refreshing.lastSettings.provider()).isEqualTo("reference");
    }

    @Test
    void a_provider_without_an_adapter_is_a_configuration_error_naming_it() {
        assertThatThrownBy(() -> factory.openAdapter(integration("dynamics", null)))
                .isInstanceOfSatisfying(SyncException.Configuration.class,
                        e -> assertThat(e.getMessage()).contains("'dynamics'").contains("int-ref"));
    }
}
