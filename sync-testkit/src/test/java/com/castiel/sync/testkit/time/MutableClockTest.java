package com.castiel.sync.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");

    @Test
    void standsStillUntilMoved() {
        MutableClock clock = new MutableClock(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    }

    @Test
    void advanceMovesForwardAndReturnsTheNewInstant() {
        MutableClock clock = MutableClock.at("2025-01-15T10:00:00Z");

        Instant after = clock.advance(Duration.ofMinutes(5));

        assertThat(after).isEqualTo(START.plusSeconds(300));
        assertThat(clock.instant()).isEqualTo(after);
    }

    @Test
    void setMovesToAnyInstantIncludingBackwards() {
        MutableClock clock = new MutableClock(START);

        clock.set(START.minusSeconds(60));

        assertThat(clock.instant()).isEqualTo(START.minusSeconds(60));
    }

    @Test
    void advancingByANegativeDurationIsRejected() {
        MutableClock clock = new MutableClock(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set()");
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void zonedViewSharesTheInstant() {
        MutableClock clock = new MutableClock(START);
        MutableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(START.plusSeconds(3600));
        assertThat(clock.getZone()).isEqualTo(ZoneId.of("Z"));
    }

    @Test
    void concurrentAdvancesAreNotLost() throws Exception {
        MutableClock clock = new MutableClock(START);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        clock.advance(Duration.ofMillis(1));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(clock.instant()).isEqualTo(START.plusMillis(4000));
    }
}
