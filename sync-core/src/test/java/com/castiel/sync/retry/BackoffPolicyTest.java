package com.castiel.sync.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.RetrySettings;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    private static final BackoffPolicy SEED = BackoffPolicy.DEFAULT;

    @Test
    void defaults_are_the_seeds_retry_config() {
        assertThat(SEED.maxAttempts()).isEqualTo(10);
        assertThat(SEED.initialDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(SEED.maxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(SEED.multiplier()).isEqualTo(2.0);
    }

    @Test
    void base_delays_double_from_five_seconds_and_cap_at_five_minutes() {
        List<Long> seconds = IntStream.rangeClosed(1, 12).mapToObj(n -> SEED.baseDelay(n).toSeconds()).toList();

        assertThat(seconds).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L, 300L, 300L, 300L);
    }

    @Test
    void a_middle_draw_gives_exactly_the_base_delay() {
        assertThat(SEED.delayAfter(3, 0.5)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void jittered_delays_stay_within_twenty_percent_of_the_base_and_never_exceed_the_cap() {
        long seed = System.nanoTime();
        System.out.println("BackoffPolicyTest seed = " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            int attempt = 1 + random.nextInt(15);
            Duration delay = SEED.delayAfter(attempt, random.nextDouble());
            double uncapped = 5_000 * Math.pow(2, attempt - 1);
            long lowest = (long) Math.floor(Math.min(uncapped * 0.8, 300_000));
            long highest = (long) Math.ceil(Math.min(uncapped * 1.2, 300_000));
            assertThat(delay.toMillis()).as("attempt %d, seed %d", attempt, seed).isBetween(lowest, highest);
        }
    }

    @Test
    void the_extreme_draws_give_the_jitter_bounds() {
        assertThat(SEED.delayAfter(2, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(SEED.delayAfter(2, Math.nextDown(1.0)).toMillis()).isEqualTo(12_000L);
    }

    @Test
    void delays_after_many_attempts_do_not_overflow() {
        assertThat(SEED.delayAfter(5_000, 0.99)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void integration_overrides_replace_only_the_fields_they_set() {
        BackoffPolicy p = SEED.overriddenBy(new RetrySettings(3, 1_000L, null, null));

        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.maxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.multiplier()).isEqualTo(2.0);
        assertThat(p.jitter()).isEqualTo(SEED.jitter());
    }

    @Test
    void no_overrides_keep_the_policy() {
        assertThat(SEED.overriddenBy(null)).isSameAs(SEED);
        assertThat(SEED.overriddenBy(new RetrySettings(null, null, null, null))).isEqualTo(SEED);
    }

    @Test
    void a_cap_below_the_initial_delay_wins() {
        BackoffPolicy p = SEED.overriddenBy(new RetrySettings(null, 60_000L, 10_000L, 3.0));

        assertThat(p.baseDelay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayAfter(4, 0.9)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void exhaustion_is_reached_at_max_attempts() {
        assertThat(SEED.exhaustedAfter(9)).isFalse();
        assertThat(SEED.exhaustedAfter(10)).isTrue();
        assertThat(SEED.exhaustedAfter(11)).isTrue();
    }

    @Test
    void invalid_values_are_rejected_with_the_setting_named() {
        assertThatThrownBy(() -> new BackoffPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0))
                .hasMessageContaining("retry.maxAttempts");
        assertThatThrownBy(() -> new BackoffPolicy(1, Duration.ofSeconds(-1), Duration.ZERO, 2, 0))
                .hasMessageContaining("retry.initialDelay");
        assertThatThrownBy(() -> new BackoffPolicy(1, Duration.ZERO, Duration.ZERO, 0.5, 0))
                .hasMessageContaining("retry.backoffMultiplier");
        assertThatThrownBy(() -> new BackoffPolicy(1, Duration.ZERO, Duration.ZERO, 2, 1.0))
                .hasMessageContaining("retry.jitter");
    }
}
