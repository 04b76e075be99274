package com.castiel.sync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.InMemoryCredentialStore;
import com.castiel.sync.hostfixtures.InMemoryIntegrationStore;
import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TokenLifecycleTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TokenRefreshFailures failures =
            new TokenRefreshFailures(new InMemoryIntegrationStore(clock), e -> { }, meters, clock, 3);
    private final TokenLifecycle lifecycle = new TokenLifecycle(store, failures, clock, Duration.ofMinutes(5));

    private static Credentials credentials(String access, String refresh, Instant expiresAt) {
        return new Credentials(access, refresh, expiresAt, "https://api.example.com", null, Map.of("client_id", "cid"));
    }

    private IntegrationTokens tokens(RotatingTokenEndpoint endpoint) {
        IntegrationTokens tokens = lifecycle.tokensFor(TENANT, INTEGRATION, "example");
        tokens.bindRefresh(endpoint);
        return tokens;
    }

    private static <T> List<T> runConcurrently(int callers, Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    @Test
    void thirty_two_callers_at_expiry_cause_exactly_one_refresh() throws Exception {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));
        IntegrationTokens tokens = tokens(endpoint);
        AtomicInteger entered = new AtomicInteger();
        endpoint.beforeAnswer(RotatingTokenEndpoint.waitFor(entered::get, 32));

        List<String> seen = runConcurrently(32, () -> {
            entered.incrementAndGet();
            return tokens.current().orElseThrow();
        });

        assertThat(endpoint.grants()).isEqualTo(1);
        assertThat(seen).hasSize(32).containsOnly("access-1");
        assertThat(store.writes()).hasSize(1);
    }

    @Test
    void a_rotated_refresh_token_is_stored_in_the_same_write_as_its_access_token() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW.minusSeconds(1)));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));

        tokens(endpoint).current();

        assertThat(store.writes()).singleElement().satisfies(c -> {
            assertThat(c.accessToken()).isEqualTo("access-1");
            assertThat(c.refreshToken()).isEqualTo("rt-2");
            assertThat(c.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
            assertThat(c.property("client_id")).contains("cid");
        });
        assertThat(store.get(TENANT, INTEGRATION).orElseThrow().refreshToken()).isEqualTo("rt-2");
    }

    @Test
    void the_old_refresh_token_is_kept_when_the_grant_returns_none() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW.minusSeconds(1)));
        IntegrationTokens tokens = lifecycle.tokensFor(TENANT, INTEGRATION, "example");
        // an adapter that builds fresh credentials instead of using withGrant, dropping the refresh token
        tokens.bindRefresh(current -> new Credentials("access-1", null, NOW.plusSeconds(3600), null, NOW, current.properties()));

        assertThat(tokens.current()).contains("access-1");
        assertThat(store.get(TENANT, INTEGRATION).orElseThrow().refreshToken()).isEqualTo("rt-1");
    }

    @Test
    void a_token_without_known_expiry_is_refreshed_only_after_a_rejection() {
        store.seed(TENANT, INTEGRATION, credentials("sf-session-0", "rt-1", null));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", false, null);
        IntegrationTokens tokens = tokens(endpoint);

        clock.advance(Duration.ofDays(30));
        assertThat(tokens.current()).contains("sf-session-0");
        assertThat(endpoint.grants()).isZero();

        assertThat(tokens.refreshAfterRejection("sf-session-0")).isEqualTo("access-1");
        assertThat(endpoint.grants()).isEqualTo(1);
        assertThat(store.get(TENANT, INTEGRATION).orElseThrow().expiresAt()).isNull();
    }

    @Test
    void a_rejection_of_a_token_already_replaced_does_not_refresh_again() {
        store.seed(TENANT, INTEGRATION, credentials("sf-session-0", "rt-1", null));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, null);
        IntegrationTokens tokens = tokens(endpoint);

        tokens.refreshAfterRejection("sf-session-0");
        String again = tokens.refreshAfterRejection("sf-session-0");

        assertThat(again).isEqualTo("access-1");
        assertThat(endpoint.grants()).isEqualTo(1);
    }

    @Test
    void a_valid_token_is_used_as_is() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW.plus(Duration.ofMinutes(30))));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));

        assertThat(tokens(endpoint).current()).contains("access-0");
        assertThat(endpoint.grants()).isZero();
    }

    @Test
    void a_token_expiring_within_the_skew_is_refreshed_before_use() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW.plus(Duration.ofMinutes(4))));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));

        assertThat(tokens(endpoint).current()).contains("access-1");
    }

    @Test
    void callers_waiting_on_a_refresh_that_dies_with_an_error_are_released_with_that_error() throws Exception {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));
        IntegrationTokens tokens = tokens(endpoint);
        AtomicInteger entered = new AtomicInteger();
        Runnable gather = RotatingTokenEndpoint.waitFor(entered::get, 4);
        endpoint.beforeAnswer(() -> {
            gather.run();
            throw new StackOverflowError("grant blew the stack");
        });

        // not runConcurrently: a waiter stuck on the flight must fail this test, not hang the executor's close
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<String> outcomes = new ArrayList<>();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> {
                    entered.incrementAndGet();
                    try {
                        return tokens.current().orElse("none");
                    } catch (StackOverflowError e) {
                        return "error";
                    }
                }));
            }
            for (Future<String> f : futures) {
                outcomes.add(f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes).containsOnly("error");
        assertThat(endpoint.grants()).isEqualTo(1);
        endpoint.beforeAnswer(() -> { });
        assertThat(tokens.current()).as("the next caller refreshes afresh").contains("access-2");
    }

    @Test
    void concurrent_callers_share_a_failed_refresh_instead_of_repeating_it() throws Exception {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));
        endpoint.failWith(new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED, "invalid_grant",
                SyncException.Details.of("example", 400, "invalid_grant")));
        IntegrationTokens tokens = tokens(endpoint);
        AtomicInteger entered = new AtomicInteger();
        endpoint.beforeAnswer(RotatingTokenEndpoint.waitFor(entered::get, 8));

        List<String> outcomes = runConcurrently(8, () -> {
            entered.incrementAndGet();
            try {
                return tokens.current().orElse("none");
            } catch (SyncException.AuthFailed e) {
                return "failed";
            }
        });

        assertThat(outcomes).containsOnly("failed");
        assertThat(endpoint.grants()).isEqualTo(1);
        assertThat(meters.counter("token_refresh_failures", "provider", "example", "outcome", "authentication_failed").count())
                .isEqualTo(1.0);
    }

    @Test
    void a_refresh_another_host_already_stored_is_used_without_refreshing() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW.plus(Duration.ofMinutes(30))));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-9", true, Duration.ofHours(1));
        IntegrationTokens tokens = tokens(endpoint);
        assertThat(tokens.current()).contains("access-0");

        clock.advance(Duration.ofMinutes(40));
        store.seed(TENANT, INTEGRATION, credentials("access-from-other-host", "rt-9", clock.instant().plus(Duration.ofHours(1))));

        assertThat(tokens.current()).contains("access-from-other-host");
        assertThat(endpoint.grants()).isZero();
    }

    @Test
    void credentials_the_store_refused_stay_in_use_and_are_written_on_next_use() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW));
        RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, Duration.ofHours(1));
        IntegrationTokens tokens = tokens(endpoint);
        store.failNextPuts(1);

        assertThat(tokens.current()).contains("access-1");
        assertThat(store.get(TENANT, INTEGRATION).orElseThrow().refreshToken()).isEqualTo("rt-1");

        assertThat(tokens.current()).contains("access-1");
        assertThat(store.get(TENANT, INTEGRATION).orElseThrow().refreshToken()).isEqualTo("rt-2");
        assertThat(endpoint.grants()).isEqualTo(1);
    }

    @Test
    void an_adapter_reading_its_credentials_during_the_grant_does_not_wait_on_itself() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW));
        IntegrationTokens tokens = lifecycle.tokensFor(TENANT, INTEGRATION, "example");
        tokens.bindRefresh(current -> {
            String clientId = tokens.credentials().property("client_id").orElseThrow();
            return current.withGrant("access-for-" + clientId, null, NOW.plusSeconds(3600), null, NOW);
        });

        assertThat(tokens.current()).contains("access-for-cid");
    }

    @Test
    void missing_credentials_fail_as_invalid_credentials_naming_the_integration() {
        IntegrationTokens tokens = tokens(new RotatingTokenEndpoint(clock, "rt-1", true, null));

        assertThatThrownBy(tokens::current).isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
            assertThat(e.getMessage()).contains("int-1");
        });
    }

    @Test
    void a_grant_without_an_access_token_is_a_recorded_failure() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW));
        IntegrationTokens tokens = lifecycle.tokensFor(TENANT, INTEGRATION, "example");
        tokens.bindRefresh(current -> current.withGrant(null, null, null, null, NOW));

        assertThatThrownBy(tokens::current).isInstanceOf(SyncException.AuthFailed.class);
        assertThat(failures.consecutiveFailures(TENANT, INTEGRATION)).isEqualTo(1);
    }

    @Test
    void without_a_bound_grant_stored_tokens_are_handed_out_and_a_rejection_is_final() {
        store.seed(TENANT, INTEGRATION, credentials("access-0", "rt-1", NOW.minusSeconds(60)));
        IntegrationTokens tokens = lifecycle.tokensFor(TENANT, INTEGRATION, "example");

        assertThat(tokens.current()).contains("access-0");
        assertThatThrownBy(() -> tokens.refreshAfterRejection("access-0")).isInstanceOf(SyncException.AuthFailed.class);
    }
}
