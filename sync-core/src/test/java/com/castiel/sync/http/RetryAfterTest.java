package com.castiel.sync.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.hostfixtures.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");

    @Test
    void delay_seconds_are_read_as_a_duration() {
        assertThat(RetryAfter.parse("31", clock)).contains(Duration.ofSeconds(31));
    }

    @Test
    void fractional_seconds_keep_their_milliseconds() {
        assertThat(RetryAfter.parse("1.5", clock)).contains(Duration.ofMillis(1500));
    }

    @Test
    void an_http_date_is_read_relative_to_the_clock() {
        assertThat(RetryAfter.parse("Mon, 02 Nov 2026 10:00:45 GMT", clock)).contains(Duration.ofSeconds(45));
    }

    @Test
    void an_iso_instant_as_zoom_sends_for_daily_limits_is_read_relative_to_the_clock() {
        assertThat(RetryAfter.parse("2026-11-03T00:00:00Z", clock)).contains(Duration.ofHours(14));
    }

    @Test
    void a_time_in_the_past_means_no_wait() {
        assertThat(RetryAfter.parse("2026-11-01T00:00:00Z", clock)).contains(Duration.ZERO);
    }

    @Test
    void unreadable_values_give_nothing() {
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-5", clock)).isEmpty();
        assertThat(RetryAfter.parse(" ", clock)).isEmpty();
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
    }
}
