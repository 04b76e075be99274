package com.castiel.sync.http;

import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.RecordingSleeper;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestRetryTest {

    private static final URI URL = URI.create("https://api.example.com/v1/items");

    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final AtomicInteger exchanges = new AtomicInteger();

    private SyncHttpClient client(RequestRetryPolicy policy, HttpTransport transport) {
        return new SyncHttpClient(List.of(
                new RequestRetry(policy, clock, sleeper::sleep, () -> 0.0),
                new ReplyClassification(new StatusClassifier("example"), clock)), call -> {
                    exchanges.incrementAndGet();
                    return transport.exchange(call);
                });
    }

    private static RequestRetryPolicy policy(int attempts, Duration total) {
        return new RequestRetryPolicy(attempts, total, Duration.ofMillis(400), Duration.ofSeconds(5), 2.0);
    }

    @Test
    void a_503_with_retry_after_is_retried_after_exactly_that_delay() {
        AtomicInteger n = new AtomicInteger();
        SyncHttpClient client = client(policy(3, Duration.ofSeconds(30)),
                call -> n.getAndIncrement() == 0 ? status(503, "Retry-After", "7") : status(200));

        HttpReply reply = client.send(HttpCall.get(URL));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void a_429_with_retry_after_is_retried_after_exactly_that_delay() {
        AtomicInteger n = new AtomicInteger();
        SyncHttpClient client = client(policy(3, Duration.ofSeconds(30)),
                call -> n.getAndIncrement() == 0 ? status(429, "Retry-After", "3") : status(200));

        assertThat(client.send(HttpCall.json("POST", URL, "{}".getBytes())).status()).isEqualTo(200);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retries_stop_at_the_attempt_limit() {
        SyncHttpClient client = client(policy(4, Duration.ofMinutes(5)), call -> status(503));

        assertThatThrownBy(() -> client.send(HttpCall.get(URL)))
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(exchanges).hasValue(4);
        assertThat(sleeper.sleeps()).hasSize(3);
    }

    @Test
    void retries_stop_when_the_next_wait_would_pass_the_total_time() {
        SyncHttpClient client = client(policy(10, Duration.ofSeconds(30)), call -> status(503, "Retry-After", "20"));

        assertThatThrownBy(() -> client.send(HttpCall.get(URL))).isInstanceOf(SyncException.Transient.class);
        assertThat(exchanges).hasValue(2);
        assertThat(sleeper.total()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void time_spent_in_slow_attempts_counts_against_the_total() {
        SyncHttpClient client = client(policy(10, Duration.ofSeconds(10)), call -> {
            clock.advance(Duration.ofSeconds(4));
            return status(503);
        });

        assertThatThrownBy(() -> client.send(HttpCall.get(URL))).isInstanceOf(SyncException.Transient.class);
        assertThat(Duration.between(Instant.parse("2026-11-02T10:00:00Z"), clock.instant()))
                .isLessThanOrEqualTo(Duration.ofSeconds(14));
        assertThat(exchanges.get()).isLessThan(10);
    }

    @Test
    void without_retry_after_the_backoff_grows_exponentially_with_jitter_on_the_upper_half() {
        SyncHttpClient client = client(policy(4, Duration.ofMinutes(1)), call -> status(502));

        assertThatThrownBy(() -> client.send(HttpCall.get(URL))).isInstanceOf(SyncException.Transient.class);
        // jitter 0.0 takes the lower bound: half of 400 ms, 800 ms, 1600 ms
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
    }

    @Test
    void a_connection_reset_on_a_post_is_not_retried_because_it_may_have_been_applied() {
        SyncHttpClient client = client(policy(3, Duration.ofSeconds(30)), call -> {
            throw new SyncException.Transient(ErrorCode.CONNECTION_RESET, "reset", SyncException.Details.NONE);
        });

        assertThatThrownBy(() -> client.send(HttpCall.json("POST", URL, "{}".getBytes())))
                .isInstanceOf(SyncException.Transient.class);
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void a_timeout_on_a_get_is_retried() {
        AtomicInteger n = new AtomicInteger();
        SyncHttpClient client = client(policy(3, Duration.ofSeconds(30)), call -> {
            if (n.getAndIncrement() == 0) {
                throw new SyncException.Transient(ErrorCode.TIMEOUT, "timed out", SyncException.Details.NONE);
            }
            return status(200);
        });

        assertThat(client.send(HttpCall.get(URL)).status()).isEqualTo(200);
        assertThat(exchanges).hasValue(2);
    }

    @Test
    void non_transient_failures_are_not_retried() {
        SyncHttpClient client = client(policy(5, Duration.ofSeconds(30)), call -> status(400));

        assertThatThrownBy(() -> client.send(HttpCall.get(URL))).isInstanceOf(SyncException.Validation.class);
        assertThat(exchanges).hasValue(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void an_interrupted_wait_gives_up_and_keeps_the_interrupt() {
        SyncHttpClient client = new SyncHttpClient(List.of(
                new RequestRetry(policy(3, Duration.ofSeconds(30)), clock, d -> {
                    throw new InterruptedException();
                }),
                new ReplyClassification(new StatusClassifier("example"), clock)), call -> status(503));

        try {
            assertThatThrownBy(() -> client.send(HttpCall.get(URL))).isInstanceOf(SyncException.Transient.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
