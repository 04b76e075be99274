package com.castiel.sync.auth;

import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.InMemoryCredentialStore;
import com.castiel.sync.hostfixtures.InMemoryIntegrationStore;
import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.http.BearerAuthentication;
import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.ReplyClassification;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.SyncException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bearer step of the HTTP chain over the real token lifecycle. */
@Timeout(30)
class TokenRejectionTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-sf");
    private static final URI QUERY = URI.create("https://acme.my.salesforce.com/services/data/v60.0/query?q=SELECT+Id+FROM+Account");

    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");
    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final TokenLifecycle lifecycle = new TokenLifecycle(store,
            new TokenRefreshFailures(new InMemoryIntegrationStore(clock), e -> { }, new SimpleMeterRegistry(), clock, 3),
            clock, Duration.ofMinutes(5));
    private final RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint(clock, "rt-1", true, null);
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    private SyncHttpClient client(Function<HttpCall, HttpReply> provider) {
        store.seed(TENANT, INTEGRATION, new Credentials("stale", "rt-1", null, "https://acme.my.salesforce.com", null, Map.of()));
        IntegrationTokens tokens = lifecycle.tokensFor(TENANT, INTEGRATION, "salesforce");
        tokens.bindRefresh(endpoint);
        return new SyncHttpClient(List.of(new BearerAuthentication(tokens),
                new ReplyClassification(new StatusClassifier("salesforce"), clock)), call -> {
                    sent.add(call.header("authorization").orElseThrow());
                    return provider.apply(call);
                });
    }

    @Test
    void ten_concurrent_rejections_of_the_same_token_cause_one_refresh_and_all_calls_are_replayed() throws Exception {
        CountDownLatch allRejected = new CountDownLatch(10);
        SyncHttpClient client = client(call -> {
            if (call.header("authorization").orElseThrow().equals("Bearer stale")) {
                allRejected.countDown();
                try {
                    allRejected.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return status(401);
            }
            return status(200);
        });

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpReply>> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(pool.submit(() -> client.send(HttpCall.get(QUERY))));
            }
            for (Future<HttpReply> r : replies) {
                statuses.add(r.get(10, TimeUnit.SECONDS).status());
            }
        }

        assertThat(statuses).hasSize(10).containsOnly(200);
        assertThat(endpoint.grants()).isEqualTo(1);
        assertThat(sent).filteredOn("Bearer stale"::equals).hasSize(10);
        assertThat(sent).filteredOn("Bearer access-1"::equals).hasSize(10);
    }

    @Test
    void a_second_rejection_after_the_refresh_fails_for_good_after_two_exchanges() {
        SyncHttpClient client = client(call -> status(401));

        assertThatThrownBy(() -> client.send(HttpCall.get(QUERY))).isInstanceOf(SyncException.AuthFailed.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("stale").doesNotContain("access-1"));
        assertThat(sent).containsExactly("Bearer stale", "Bearer access-1");
        assertThat(endpoint.grants()).isEqualTo(1);
    }

    @Test
    void a_salesforce_style_token_is_used_until_rejected_however_old_it_is() {
        SyncHttpClient client = client(call -> call.header("authorization").orElseThrow().equals("Bearer stale") ? status(401) : status(200));
        clock.set(Instant.parse("2027-01-01T00:00:00Z"));

        client.send(HttpCall.get(QUERY));
        client.send(HttpCall.get(QUERY));

        assertThat(sent).containsExactly("Bearer stale", "Bearer access-1", "Bearer access-1");
        assertThat(endpoint.grants()).isEqualTo(1);
    }
}
