package com.castiel.sync.http;

import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.castiel.sync.hostfixtures.LogCapture;
import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedactingRequestLogTest {

    private static final String TOKEN = "00Dx0000000BV7z!AR8AQSecretAccessToken";
    private static final String QUERY_SECRET = "signature=QuerySecretValue";
    private static final String API_KEY = "ApiKeySecretValue";
    private static final String COOKIE = "session=CookieSecretValue";
    private static final String BODY_SECRET = "client_secret=BodySecretValue";

    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");

    private static final AccessTokens FIXED = new AccessTokens() {
        @Override
        public Optional<String> current() {
            return Optional.of(TOKEN);
        }

        @Override
        public String refreshAfterRejection(String rejected) {
            return TOKEN;
        }
    };

    private HttpCall secretCall() {
        return HttpCall.form(URI.create("https://user:UserInfoSecret@acme.my.salesforce.com/services/data/v60.0/query?"
                        + QUERY_SECRET + "&q=SELECT+Id"), BODY_SECRET)
                .withHeader("x-api-key", API_KEY)
                .withHeader("Cookie", COOKIE);
    }

    private SyncHttpClient client(HttpTransport transport) {
        return new SyncHttpClient(List.of(new BearerAuthentication(FIXED), new RedactingRequestLog(clock),
                new ReplyClassification(new StatusClassifier("salesforce"), clock)), transport);
    }

    @Test
    void a_success_is_logged_with_method_host_path_status_and_duration_only() {
        try (LogCapture log = new LogCapture("com.castiel.sync", Level.DEBUG)) {
            client(call -> {
                clock.advance(Duration.ofMillis(120));
                return new HttpReply(200, Map.of("set-cookie", List.of(COOKIE)),
                        ("{\"access_token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
            }).send(secretCall());

            assertThat(log.lines()).containsExactly(
                    "POST https://acme.my.salesforce.com/services/data/v60.0/query -> 200 in 120 ms");
            assertNoSecret(log.all());
        }
    }

    @Test
    void a_classified_failure_is_logged_with_status_and_code_but_no_message() {
        try (LogCapture log = new LogCapture(RedactingRequestLog.class.getName(), Level.DEBUG)) {
            assertThatThrownBy(() -> client(call -> status(404)).send(secretCall())).isInstanceOf(SyncException.NotFound.class);

            assertThat(log.lines()).containsExactly(
                    "POST https://acme.my.salesforce.com/services/data/v60.0/query -> 404 NOT_FOUND in 0 ms");
        }
    }

    @Test
    void a_transport_failure_is_logged_without_a_status() {
        try (LogCapture log = new LogCapture(RedactingRequestLog.class.getName(), Level.DEBUG)) {
            assertThatThrownBy(() -> client(call -> {
                throw new SyncException.Transient(ErrorCode.TIMEOUT, "request timed out: " + call.describe(), SyncException.Details.NONE);
            }).send(secretCall())).isInstanceOfSatisfying(SyncException.class, e -> assertNoSecret(e.getMessage()));

            assertThat(log.lines()).containsExactly(
                    "POST https://acme.my.salesforce.com/services/data/v60.0/query -> no reply TIMEOUT in 0 ms");
        }
    }

    @Test
    void nothing_is_logged_above_debug() {
        try (LogCapture log = new LogCapture(RedactingRequestLog.class.getName(), Level.INFO)) {
            client(call -> status(200)).send(secretCall());

            assertThat(log.lines()).isEmpty();
        }
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(TOKEN).doesNotContain("QuerySecretValue").doesNotContain(API_KEY)
                .doesNotContain("CookieSecretValue").doesNotContain("BodySecretValue").doesNotContain("UserInfoSecret")
                .doesNotContain("?");
    }
}
