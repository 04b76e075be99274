package com.castiel.sync.http;

import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitingTest {

    private static final HttpCall CALL = HttpCall.get(URI.create("https://acme.my.salesforce.com/services/data/v60.0/limits"));

    /** Records what the interceptor tells the limiter; refuses when told to. */
    private static final class RecordingPermits implements RequestPermits {
        int acquired;
        boolean refuse;
        final List<Duration> pauses = new ArrayList<>();
        final List<long[]> usage = new ArrayList<>();

        @Override
        public void acquire() {
            if (refuse) {
                throw new SyncException.RateLimited("local limit", Duration.ofSeconds(90), SyncException.Details.NONE);
            }
            acquired++;
        }

        @Override
        public void pause(Duration pause) {
            pauses.add(pause);
        }

        @Override
        public void reportUsage(long used, long limit) {
            usage.add(new long[] {used, limit});
        }
    }

    private final RecordingPermits permits = new RecordingPermits();
    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");

    private SyncHttpClient client(HttpTransport transport) {
        return new SyncHttpClient(List.of(new RateLimiting(permits),
                new ReplyClassification(new StatusClassifier("salesforce"), clock)), transport);
    }

    @Test
    void every_exchange_acquires_a_permit_first() {
        SyncHttpClient client = client(call -> status(200));
        client.send(CALL);
        client.send(CALL);

        assertThat(permits.acquired).isEqualTo(2);
    }

    @Test
    void a_throttled_reply_pauses_the_key_for_the_retry_after() {
        assertThatThrownBy(() -> client(call -> status(429, "Retry-After", "20")).send(CALL))
                .isInstanceOf(SyncException.RateLimited.class);

        assertThat(permits.pauses).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void a_throttled_reply_without_retry_after_pauses_the_key_briefly() {
        assertThatThrownBy(() -> client(call -> status(429)).send(CALL)).isInstanceOf(SyncException.RateLimited.class);

        assertThat(permits.pauses).containsExactly(RateLimiting.DEFAULT_PAUSE);
    }

    @Test
    void an_unavailable_reply_with_retry_after_pauses_the_key() {
        assertThatThrownBy(() -> client(call -> status(503, "Retry-After", "31")).send(CALL))
                .isInstanceOf(SyncException.Transient.class);

        assertThat(permits.pauses).containsExactly(Duration.ofSeconds(31));
    }

    @Test
    void the_salesforce_usage_header_is_reported_to_the_limiter() {
        client(call -> status(200, "Sforce-Limit-Info", "api-usage=95000/100000")).send(CALL);

        assertThat(permits.usage).singleElement().satisfies(u -> assertThat(u).containsExactly(95000L, 100000L));
    }

    @Test
    void the_limiters_own_refusal_does_not_pause_the_key() {
        permits.refuse = true;

        assertThatThrownBy(() -> client(call -> status(200)).send(CALL)).isInstanceOf(SyncException.RateLimited.class);
        assertThat(permits.pauses).isEmpty();
    }
}
