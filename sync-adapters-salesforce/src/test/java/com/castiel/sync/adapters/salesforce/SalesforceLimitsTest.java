package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.fake.JournalEntry;
import com.castiel.sync.testkit.fake.RequestMatcher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceLimitsTest {

    private static final FetchRequest ACCOUNTS = new FetchRequest("Account", List.of("Name"), List.of(), null, null, null, 200);

    private final SalesforceHarness h = new SalesforceHarness();

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void api_usage_from_sforce_limit_info_is_reported_to_the_rate_limiter() {
        try (ProviderAdapter adapter = h.openRecordingUsage(h.settings(), h.refreshTokenCredentials())) {
            adapter.fetch(ACCOUNTS);
            adapter.fetch(ACCOUNTS);
            adapter.fetch(ACCOUNTS);
        }

        assertThat(h.reportedUsage).containsExactly("1/100000", "2/100000", "3/100000");
    }

    @Test
    void request_limit_exceeded_is_backed_off_and_retried_by_the_chain() {
        h.fake.rateLimitPerSecond(1);
        try (ProviderAdapter adapter = h.open()) {
            adapter.fetch(ACCOUNTS);

            assertThat(adapter.fetch(ACCOUNTS).records()).isEmpty();
        }

        List<JournalEntry> queries = h.fake.journal().matching(RequestMatcher.pathStartsWith("/services/data/v62.0/query"));
        assertThat(queries).extracting(JournalEntry::status).containsExactly(200, 403, 200);
        assertThat(h.sleeper.totalSlept()).isGreaterThanOrEqualTo(Duration.ofSeconds(1).dividedBy(4));
    }

    @Test
    void an_exhausted_daily_allocation_fails_as_rate_limited_without_a_retry_after() {
        h.fake.dailyApiLimit(2);
        try (ProviderAdapter adapter = h.open()) {
            adapter.fetch(ACCOUNTS);
            adapter.fetch(ACCOUNTS);

            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS)).isInstanceOfSatisfying(SyncException.RateLimited.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).isEmpty();
            });
        }
    }
}
