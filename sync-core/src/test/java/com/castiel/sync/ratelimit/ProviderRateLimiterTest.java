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

    @Test
    void a_full_bucket_grants_the_burst_at_once_then_paces_at_the_per_second_limit() {
        RequestPermits permits = limiter.permits(ACME);

        acquire(permits, 25);
        assertThat(elapsed()).isZero();

        acquire(permits, 50);
        assertThat(elapsed()).isEqualTo(Duration.ofSeconds(2));
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

        acquire(first, 25);
        second.acquire();

        assertThat(elapsed()).isEqualTo(Duration.ofMillis(40));
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

        assertThat(atFullPace).isEqualTo(Duration.ofSeconds(4));
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

        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(1));
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

        // one permit refills every 86,400 s / 50 = 1,728 s
        assertThatThrownBy(permits::acquire).isInstanceOfSatisfying(SyncException.RateLimited.class,
                e -> assertThat(e.retryAfter()).hasValueSatisfying(
                        d -> assertThat(d).isBetween(Duration.ofSeconds(1727), Duration.ofSeconds(1728))));
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void an_integration_override_replaces_the_provider_default() {
        ProviderLimits limits = ProviderLimitDefaults.forProvider("salesforce").withOverrides(new RateLimitSettings(2, null, null));
        RequestPermits permits = limiter.permits(ACME, limits);

        acquire(permits, 4);

        assertThat(elapsed()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waiting_time_is_recorded_per_provider() {
        RequestPermits permits = limiter.permits(ACME);
        permits.pause(Duration.ofSeconds(3));
        permits.acquire();
        permits.acquire();

        Timer waits = meters.get("sync_rate_limit_wait").tag("provider", "salesforce").timer();
        assertThat(waits.count()).isEqualTo(2);
        assertThat(waits.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000.0);
    }
}
