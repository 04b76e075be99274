package com.castiel.sync.http;

import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyClassificationTest {

    private static final HttpCall CALL = HttpCall.get(URI.create("https://api.example.com/v1/items"));
    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");

    @Test
    void retry_after_the_classifier_ignored_is_attached_to_a_rate_limit_failure() {
        SyncHttpClient client = new SyncHttpClient(List.of(new ReplyClassification(new StatusClassifier("gong"), clock)),
                call -> status(429, "Retry-After", "12"));

        assertThatThrownBy(() -> client.send(CALL)).isInstanceOfSatisfying(SyncException.RateLimited.class, e -> {
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
            assertThat(e.provider()).isEqualTo("gong");
            assertThat(e.httpStatus()).isEqualTo(429);
        });
    }

    @Test
    void retry_after_is_attached_to_a_transient_failure() {
        SyncHttpClient client = new SyncHttpClient(List.of(new ReplyClassification(new StatusClassifier("onedrive"), clock)),
                call -> status(503, "Retry-After", "41"));

        assertThatThrownBy(() -> client.send(CALL)).isInstanceOfSatisfying(SyncException.Transient.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(41)));
    }

    @Test
    void a_delay_the_classifier_chose_is_kept() {
        HttpErrorClassifier own = (call, reply) -> Optional.of(
                new SyncException.RateLimited("daily limit", Duration.ofHours(3), SyncException.Details.NONE));
        SyncHttpClient client = new SyncHttpClient(List.of(new ReplyClassification(own, clock)),
                call -> status(429, "Retry-After", "1"));

        assertThatThrownBy(() -> client.send(CALL)).isInstanceOfSatisfying(SyncException.RateLimited.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofHours(3)));
    }

    @Test
    void successes_pass_through() {
        SyncHttpClient client = new SyncHttpClient(List.of(new ReplyClassification(new StatusClassifier("x"), clock)),
                call -> status(204));

        assertThat(client.send(CALL).status()).isEqualTo(204);
    }
}
