package com.castiel.sync.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.RecordingSleeper;
import com.castiel.sync.http.RequestPermits;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.spi.SyncException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProviderRateLimiterTest {

    private static final Instant START = Instant.parse("2026-11-02T10:00:00Z");
    private static final RateLimitKey ACME = new RateLimitKey("salesforce", "org:00D000000000001");
    private static final RateLimitKey GLOBEX = new RateLimitKey("salesforce", "org:00D000000000002");

    private final MutableClock clock = new MutableClock(START);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProviderRateLimiter limiter = new ProviderRateLimiter(clock, sleeper, meters);

    private Duration elapsed() {
        return Duration.between(START, clock.instant());
    }

    private static void acquire(RequestPermits permits, int times) {
        for (int i = 0; i < times; i++) {
            permits.acquire();
        }
    }

    /** Salesforce's 25/s, paced: one permit every 1.02 s / 25 = 40.8 ms. */
    private static final Duration SALESFORCE_STEP = Duration.ofMillis(1020).dividedBy(25);

    @Test
    void per_second_allowances_are_paced_so_no_sliding_second_exceeds_the_limit() {
        RequestPermits permits = limiter.permits(ACME);
        List<Instant> granted = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            permits.acquire();
            granted.add(clock.instant());
        }

        assertThat(elapsed()).isEqualTo(SALESFORCE_STEP.multipliedBy(199));
        for (Instant start : granted) {
            long inWindow = granted.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(1))).count();
            assertThat(inWindow).as("permits in the second starting at %s", start).isLessThanOrEqualTo(25);
        }
    }

    @Test
    void a_retry_after_pause_holds_the_key_until_the_time_given() {
        RequestPermits permits = limiter.permits(ACME);
        permits.pause(Duration.ofSeconds(20));

        permits.acquire();

        assertThat(elapsed()).isEqualTo(Duration.ofSeconds(20));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void a_shorter_pause_never_shortens_a_longer_one() {
        RequestPermits permits = limiter.permits(ACME);
        permits.pause(Duration.ofSeconds(30));
        permits.pause(Duration.ofSeconds(5));

        permits.acquire();

        assertThat(elapsed()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void a_pause_of_one_key_does_not_slow_another() {
        limiter.permits(ACME).pause(Duration.ofSeconds(30));

        limiter.permits(GLOBEX).acquire();

        assertThat(elapsed()).isZero();
    }

    @Test
    void integrations_of_the_same_key_share_its_buckets() {
        RequestPermits first = limiter.permits(ACME);
        RequestPermits second = limiter.permits(ACME);

        first.acquire();
        second.acquire();

        assertThat(elapsed()).isEqualTo(SALESFORCE_STEP);
    }

    @Test
    void acquisition_slows_down_as_daily_usage_nears_the_limit() {
        RequestPermits normal = limiter.permits(ACME);
        acquire(normal, 25);
        Instant before = clock.instant();
        acquire(normal, 100);
        Duration atFullPace = Duration.between(before, clock.instant());

        RequestPermits nearlyExhausted = limiter.permits(GLOBEX);
        acquire(nearlyExhausted, 25);
        nearlyExhausted.reportUsage(95_000, 100_000);
        before = clock.instant();
        acquire(nearlyExhausted, 100);
        Duration slowed = Duration.between(before, clock.instant());

        assertThat(atFullPace).isEqualTo(SALESFORCE_STEP.multipliedBy(100));
        // at 95 % used the pace is a quarter: 6.25 requests a second
        assertThat(slowed).isBetween(Duration.ofMillis(15_800), Duration.ofMillis(16_100));
    }

    @Test
    void usage_below_the_threshold_keeps_the_full_pace_and_a_drop_restores_it() {
        RequestPermits permits = limiter.permits(ACME);
        acquire(permits, 25);
        permits.reportUsage(99_000, 100_000);
        permits.reportUsage(50_000, 100_000);
        Instant before = clock.instant();

        acquire(permits, 25);

        assertThat(Duration.between(before, clock.instant())).isEqualTo(SALESFORCE_STEP.multipliedBy(25));
    }

    @Test
    void an_acquire_that_would_wait_past_its_deadline_fails_at_once_with_the_wait_needed() {
        RequestPermits permits = limiter.permits(ACME);
        permits.pause(Duration.ofMinutes(5));

        assertThatThrownBy(permits::acquire).isInstanceOfSatisfying(SyncException.RateLimited.class, e -> {
            assertThat(e.retryAfter()).contains(Duration.ofMinutes(5));
            assertThat(e.provider()).isEqualTo("salesforce");
            assertThat(e.getMessage()).contains("salesforce/org:00D000000000001").contains("60 s");
        });
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(meters.counter("sync_rate_limit_refusals", "provider", "salesforce").count()).isEqualTo(1.0);
    }

    @Test
    void an_exhausted_daily_allowance_refuses_with_the_time_until_a_permit_refills() {
        RequestPermits permits = limiter.permits(new RateLimitKey("gong", "tenant:t1"),
                ProviderLimits.of(RequestAllowance.perSecond(100), RequestAllowance.perDay(50)));
        acquire(permits, 50);
        int sleptBefore = sleeper.sleeps().size();

        // one permit refills every 86,400 s / 50 = 1,728 s
        assertThatThrownBy(permits::acquire).isInstanceOfSatisfying(SyncException.RateLimited.class,
                e -> assertThat(e.retryAfter()).hasValueSatisfying(
                        d -> assertThat(d).isBetween(Duration.ofSeconds(1727), Duration.ofSeconds(1728))));
        assertThat(sleeper.sleeps()).as("a refusal does not sleep").hasSize(sleptBefore);
    }

    @Test
    void an_integration_override_replaces_the_provider_default() {
        ProviderLimits limits = ProviderLimitDefaults.forProvider("salesforce").withOverrides(new RateLimitSettings(2, null, null));
        RequestPermits permits = limiter.permits(ACME, limits);

        acquire(permits, 4);

        // 2 a second, paced: one permit every 1.02 s / 2 = 0.51 s after the first
        assertThat(elapsed()).isEqualTo(Duration.ofMillis(1530));
    }

    @Test
    void waiting_time_is_recorded_per_provider() {
        RequestPermits permits = limiter.permits(ACME);
        permits.pause(Duration.ofSeconds(3));
        permits.acquire();
        permits.acquire();

        Timer waits = meters.get("sync_rate_limit_wait").tag("provider", "salesforce").timer();
        assertThat(waits.count()).isEqualTo(2);
        assertThat(waits.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000.0 + SALESFORCE_STEP.toNanos() / 1e6);
    }
}
