package com.castiel.sync.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.hostfixtures.InMemoryCredentialStore;
import com.castiel.sync.hostfixtures.InMemoryIntegrationStore;
import com.castiel.sync.hostfixtures.LogCapture;
import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProactiveTokenRefresherTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId TEAMS = IntegrationId.of("int-teams");
    private static final IntegrationId LATER = IntegrationId.of("int-later");
    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final String REFRESH_SECRET = "rt-SecretRefreshToken-1";

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final InMemoryIntegrationStore integrations = new InMemoryIntegrationStore(clock);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<SyncEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final TokenRefreshFailures failures = new TokenRefreshFailures(integrations, events::add, meters, clock, 3);
    private final TokenLifecycle lifecycle = new TokenLifecycle(credentials, failures, clock, Duration.ofMinutes(5));
    private final RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, REFRESH_SECRET, false, Duration.ofHours(1));
    private final AtomicInteger adaptersOpened = new AtomicInteger();
    private final AtomicInteger adaptersClosed = new AtomicInteger();
    private Set<Capability> capabilities = EnumSet.of(Capability.READ, Capability.TOKEN_REFRESH);

    private final ProactiveTokenRefresher refresher = new ProactiveTokenRefresher(credentials, integrations, lifecycle, failures,
            this::openAdapter, clock, ProactiveTokenRefresher.DEFAULT_WINDOW);

    /** The adapter the engine would open: its grant is the token endpoint above. */
    private ProviderAdapter openAdapter(Integration integration) {
        adaptersOpened.incrementAndGet();
        return new ProviderAdapter() {
            @Override
            public Set<Capability> capabilities() {
                return capabilities;
            }

            @Override
            public Page fetch(FetchRequest request) {
                throw new SyncException.Configuration("not used by the refresher");
            }

            @Override
            public Credentials refreshCredentials(Credentials current) {
                return endpoint.refresh(current);
            }

            @Override
            public void close() {
                adaptersClosed.incrementAndGet();
            }
        };
    }

    private void connect(IntegrationId id, Duration expiresIn) {
        integrations.create(new Integration(id, TENANT, null, IntegrationData.of("teams", List.of()), 0, NOW, NOW));
        credentials.seed(TENANT, id, new Credentials("access-0", REFRESH_SECRET, NOW.plus(expiresIn), null, NOW, Map.of()));
    }

    private IntegrationStatus status(IntegrationId id) {
        return integrations.get(TENANT, id).orElseThrow().status();
    }

    private double failureCount(String outcome) {
        var counter = meters.find("token_refresh_failures").tag("provider", "teams").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static SyncException.AuthFailed invalidGrant() {
        // a careless adapter quoting the refresh token in its message: it must still never reach a log
        return new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED, "invalid_grant for " + REFRESH_SECRET,
                SyncException.Details.of("teams", 400, "invalid_grant"));
    }

    @Test
    void tokens_expiring_within_two_hours_are_refreshed_and_later_ones_are_not() {
        connect(TEAMS, Duration.ofMinutes(90));
        connect(LATER, Duration.ofHours(3));

        RefreshSummary summary = refresher.refreshExpiring();

        assertThat(summary).isEqualTo(new RefreshSummary(1, 0, 0, 0));
        assertThat(credentials.get(TENANT, TEAMS).orElseThrow().accessToken()).isEqualTo("access-1");
        assertThat(credentials.get(TENANT, LATER).orElseThrow().accessToken()).isEqualTo("access-0");
        assertThat(adaptersClosed).hasValue(adaptersOpened.get());
    }

    @Test
    void a_failure_is_counted_by_provider_and_outcome_and_announced() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(invalidGrant());

        RefreshSummary summary = refresher.refreshExpiring();

        assertThat(summary.failed()).isEqualTo(1);
        assertThat(failureCount("authentication_failed")).isEqualTo(1.0);
        assertThat(events).singleElement().isEqualTo(new SyncEvent.TokenRefreshFailed(TENANT, TEAMS, "teams",
                "AUTHENTICATION_FAILED", 1, false, NOW));
        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void repeated_failures_mark_the_integration_needs_reauth_and_it_is_no_longer_attempted() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(invalidGrant());

        refresher.refreshExpiring();
        refresher.refreshExpiring();
        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.ACTIVE);
        refresher.refreshExpiring();

        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.NEEDS_REAUTH);
        assertThat(events).hasSize(3).last().isEqualTo(new SyncEvent.TokenRefreshFailed(TENANT, TEAMS, "teams",
                "AUTHENTICATION_FAILED", 3, true, NOW));
        assertThat(failureCount("authentication_failed")).isEqualTo(3.0);

        RefreshSummary afterwards = refresher.refreshExpiring();
        assertThat(afterwards).isEqualTo(new RefreshSummary(0, 0, 0, 1));
        assertThat(endpoint.grants()).isEqualTo(3);
    }

    @Test
    void a_success_resets_the_consecutive_failure_count() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(invalidGrant());
        refresher.refreshExpiring();
        refresher.refreshExpiring();

        endpoint.succeed();
        assertThat(refresher.refreshExpiring().refreshed()).isEqualTo(1);
        assertThat(failures.consecutiveFailures(TENANT, TEAMS)).isZero();

        clock.advance(Duration.ofMinutes(30));
        endpoint.failWith(invalidGrant());
        refresher.refreshExpiring();

        assertThat(events).last().isEqualTo(new SyncEvent.TokenRefreshFailed(TENANT, TEAMS, "teams",
                "AUTHENTICATION_FAILED", 1, false, clock.instant()));
        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void marking_needs_reauth_survives_a_concurrent_update_of_the_integration() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(invalidGrant());
        refresher.refreshExpiring();
        refresher.refreshExpiring();

        integrations.injectConflicts(2);
        refresher.refreshExpiring();

        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.NEEDS_REAUTH);
    }

    @Test
    void transient_failures_are_counted_under_their_own_outcome() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "token endpoint down",
                SyncException.Details.of("teams", 503, null)));

        refresher.refreshExpiring();

        assertThat(failureCount("service_unavailable")).isEqualTo(1.0);
    }

    @Test
    void transient_failures_alone_never_take_the_integration_out_of_scheduling() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(new SyncException.Transient(ErrorCode.TIMEOUT, "token endpoint timed out",
                SyncException.Details.of("teams", 0, null)));

        for (int run = 0; run < 5; run++) {
            refresher.refreshExpiring();
        }

        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(events).hasSize(5).last().isEqualTo(new SyncEvent.TokenRefreshFailed(TENANT, TEAMS, "teams",
                "TIMEOUT", 5, false, NOW));

        endpoint.failWith(invalidGrant());
        refresher.refreshExpiring();
        refresher.refreshExpiring();
        refresher.refreshExpiring();
        assertThat(status(TEAMS)).isEqualTo(IntegrationStatus.NEEDS_REAUTH);
    }

    @Test
    void an_adapter_that_cannot_be_opened_counts_as_a_failed_refresh() {
        connect(TEAMS, Duration.ofMinutes(30));
        ProactiveTokenRefresher broken = new ProactiveTokenRefresher(credentials, integrations, lifecycle, failures,
                i -> {
                    throw new SyncException.Configuration("setting 'tenant' is required for provider teams");
                }, clock, ProactiveTokenRefresher.DEFAULT_WINDOW);

        assertThat(broken.refreshExpiring().failed()).isEqualTo(1);
        assertThat(failureCount("configuration")).isEqualTo(1.0);
    }

    @Test
    void adapters_without_token_refresh_are_skipped() {
        connect(TEAMS, Duration.ofMinutes(30));
        capabilities = EnumSet.of(Capability.READ);

        assertThat(refresher.refreshExpiring()).isEqualTo(new RefreshSummary(0, 0, 0, 1));
        assertThat(endpoint.grants()).isZero();
    }

    @Test
    void secrets_never_reach_the_logs() {
        connect(TEAMS, Duration.ofMinutes(30));
        endpoint.failWith(invalidGrant());

        try (LogCapture log = new LogCapture("com.castiel.sync", Level.DEBUG)) {
            refresher.refreshExpiring();
            endpoint.succeed();
            refresher.refreshExpiring();

            assertThat(log.lines()).isNotEmpty();
            assertThat(log.all()).doesNotContain(REFRESH_SECRET).doesNotContain("access-0").doesNotContain("access-1")
                    .contains("int-teams");
        }
    }
}
