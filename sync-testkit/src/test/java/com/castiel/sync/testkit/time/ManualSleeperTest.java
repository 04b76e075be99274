package com.castiel.sync.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualSleeperTest {

    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final ManualSleeper sleeper = new ManualSleeper(clock);

    @Test
    void sleepingAdvancesTheClockInsteadOfWaiting() throws InterruptedException {
        sleeper.sleep(Duration.ofMinutes(5));

        assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    void recordsRequestedSleepsInOrder() throws InterruptedException {
        sleeper.sleep(Duration.ofSeconds(5));
        sleeper.sleep(Duration.ofSeconds(10));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(sleeper.totalSlept()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void zeroAndNegativeSleepsAreRecordedButDoNotMoveTheClock() throws InterruptedException {
        sleeper.sleep(Duration.ZERO);
        sleeper.sleep(Duration.ofSeconds(-3));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ZERO, Duration.ofSeconds(-3));
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(sleeper.totalSlept()).isEqualTo(Duration.ZERO);
    }

    @Test
    void anInterruptedThreadGetsInterruptedExceptionAndTheFlagIsCleared() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> sleeper.sleep(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void clearForgetsRecordedSleepsButKeepsTheClock() throws InterruptedException {
        sleeper.sleep(Duration.ofSeconds(7));

        sleeper.clear();

        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(7));
    }
}
