package com.castiel.sync.http;

import static com.castiel.sync.hostfixtures.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerAuthenticationTest {

    private static final HttpCall CALL = HttpCall.get(URI.create("https://api.example.com/v1/items"));

    /** Tokens that rotate "t1" → "t2" → … on each refresh after a rejection of the current one. */
    private static final class RotatingTokens implements AccessTokens {
        int generation = 1;
        final List<String> rejections = new ArrayList<>();

        @Override
        public synchronized Optional<String> current() {
            return Optional.of("t" + generation);
        }

        @Override
        public synchronized String refreshAfterRejection(String rejected) {
            rejections.add(rejected);
            if (rejected.equals("t" + generation)) {
                generation++;
            }
            return "t" + generation;
        }
    }

    private final RotatingTokens tokens = new RotatingTokens();
    private final List<String> sentAuthorization = Collections.synchronizedList(new ArrayList<>());

    private SyncHttpClient client(HttpTransport transport) {
        return new SyncHttpClient(List.of(new BearerAuthentication(tokens),
                new ReplyClassification(new StatusClassifier("example"), MutableClock.at("2026-11-02T10:00:00Z"))),
                call -> {
                    sentAuthorization.add(call.header("authorization").orElse("<none>"));
                    return transport.exchange(call);
                });
    }

    @Test
    void the_current_token_is_sent_as_a_bearer_token() {
        client(call -> status(200)).send(CALL);

        assertThat(sentAuthorization).containsExactly("Bearer t1");
    }

    @Test
    void an_expired_token_is_refreshed_once_and_the_call_replayed() {
        HttpReply reply = client(call -> call.header("authorization").orElseThrow().equals("Bearer t1") ? status(401) : status(200))
                .send(CALL);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(tokens.rejections).containsExactly("t1");
        assertThat(sentAuthorization).containsExactly("Bearer t1", "Bearer t2");
    }

    @Test
    void a_second_rejection_right_after_a_refresh_fails_for_good_instead_of_looping() {
        SyncHttpClient client = client(call -> status(401));

        assertThatThrownBy(() -> client.send(CALL)).isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain("t1").doesNotContain("t2");
        });
        assertThat(sentAuthorization).hasSize(2);
        assertThat(tokens.rejections).hasSize(1);
    }

    @Test
    void a_call_with_its_own_authorization_header_is_left_alone() {
        client(call -> status(200)).send(CALL.withHeader("Authorization", "Basic YWNjZXNzOmtleQ=="));

        assertThat(sentAuthorization).containsExactly("Basic YWNjZXNzOmtleQ==");
    }

    @Test
    void without_any_token_the_call_goes_unauthenticated() {
        AccessTokens none = new AccessTokens() {
            @Override
            public Optional<String> current() {
                return Optional.empty();
            }

            @Override
            public String refreshAfterRejection(String rejected) {
                throw new AssertionError("no token was sent, so none can have been rejected");
            }
        };
        List<String> sent = new ArrayList<>();
        new SyncHttpClient(List.of(new BearerAuthentication(none)), call -> {
            sent.add(call.header("authorization").orElse("<none>"));
            return status(200);
        }).send(CALL);

        assertThat(sent).containsExactly("<none>");
    }
}
