package com.castiel.sync.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.time.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeProviderServerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final FakeProviderServer server = new FakeProviderServer(clock);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private FakeProviderServer started() {
        server.route("GET", "/items/{id}", r -> FakeResponse.json(200, SyncJson.object().put("id", r.pathVariable("id"))));
        server.route("POST", "/items", r -> FakeResponse.json(201, r.jsonBody()));
        server.route("GET", "/boom", r -> {
            throw new IllegalStateException("bug in a fake");
        });
        return server.start();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsToLoopbackOnARandomPort() {
        started();
        assertThat(server.baseUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.baseUrl().getPort()).isPositive();
    }

    @Test
    void routesCapturePathVariables() throws Exception {
        started();
        HttpResponse<String> r = send("GET", "/items/42", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(SyncJson.tree(r.body()).get("id").asText()).isEqualTo("42");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
        started();
        assertThat(send("GET", "/nothing", null).statusCode()).isEqualTo(404);
        HttpResponse<String> r = send("DELETE", "/items/1", null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).contains("GET");
    }

    @Test
    void malformedJsonBodyIsRejectedWith400() throws Exception {
        started();
        HttpResponse<String> r = send("POST", "/items", "{not json", "content-type", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(SyncJson.tree(r.body()).get("error").asText()).isEqualTo("invalid_json");
    }

    @Test
    void handlerBugsBecome500AndAreRecorded() throws Exception {
        started();
        assertThat(send("GET", "/boom", null).statusCode()).isEqualTo(500);
        assertThat(server.handlerFailures()).singleElement().asString().contains("bug in a fake");
    }

    @Test
    void protectedRoutesNeedAValidBearerToken() throws Exception {
        TokenAuthority tokens = new TokenAuthority(clock, Duration.ofMinutes(10)).registerClient("c", "s");
        server.requireBearerTokens(tokens);
        server.publicRoute("GET", "/health", r -> FakeResponse.empty(204));
        started();
        String token = tokens.issueAccessToken("c").accessToken();

        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/items/1", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/items/1", null, "authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> expired = send("GET", "/items/1", null, "authorization", "Bearer " + token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("www-authenticate")).hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfter() throws Exception {
        started();
        server.faults().next(1, RequestMatcher.any(), Fault.rateLimited(9));
        HttpResponse<String> r = send("GET", "/items/1", null);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).contains("9");
        assertThat(send("GET", "/items/1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void serviceUnavailableFaultAnswers503() throws Exception {
        started();
        server.faults().next(1, RequestMatcher.any(), Fault.serviceUnavailable(4));
        HttpResponse<String> r = send("GET", "/items/1", null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).contains("4");
    }

    @Test
    void connectionResetFaultBreaksTheExchangeAndTheServerKeepsServing() throws Exception {
        started();
        server.faults().next(1, RequestMatcher.any(), Fault.connectionReset());
        assertThatThrownBy(() -> send("GET", "/items/1", null)).isInstanceOf(IOException.class);
        assertThat(send("GET", "/items/1", null).statusCode()).isEqualTo(200);
        assertThat(server.journal().entries().get(0).status()).isZero();
        assertThat(server.journal().entries().get(0).fault()).isEqualTo("connection_reset");
    }

    @Test
    void slowBodyDeliversTheWholeResponse() throws Exception {
        started();
        server.faults().next(1, RequestMatcher.any(), Fault.slowBody(Duration.ofMillis(200)));
        HttpResponse<String> r = send("GET", "/items/slow", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(SyncJson.tree(r.body()).get("id").asText()).isEqualTo("slow");
        assertThat(server.journal().last()).hasValueSatisfying(e -> assertThat(e.fault()).isEqualTo("slow_body"));
    }

    @Test
    void slowBodyIsBounded() {
        assertThatThrownBy(() -> Fault.slowBody(Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiredTokenFaultAnswers401() throws Exception {
        started();
        server.faults().next(1, RequestMatcher.any(), Fault.expiredToken());
        HttpResponse<String> r = send("GET", "/items/1", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(SyncJson.tree(r.body()).get("error").asText()).isEqualTo("token_expired");
    }

    @Test
    void malformedJsonFaultSendsAnUnparseableSuccess() throws Exception {
        started();
        server.faults().next(1, RequestMatcher.any(), Fault.malformedJson());
        HttpResponse<String> r = send("GET", "/items/1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> SyncJson.tree(r.body())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void journalRecordsEveryRequestWithStatusAndBodySize() throws Exception {
        started();
        send("POST", "/items", "{\"a\":1}", "content-type", "application/json");
        send("GET", "/nothing?x=1", null);
        assertThat(server.journal().entries()).extracting(JournalEntry::method, JournalEntry::path, JournalEntry::status, JournalEntry::bodySize)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/items", 201, 7),
                        org.assertj.core.groups.Tuple.tuple("GET", "/nothing", 404, 0));
        assertThat(server.journal().entries().get(1).queryParam("x")).contains("1");
        assertThat(server.journal().entries().get(0).receivedAt()).isEqualTo(clock.instant());
    }

    @Test
    void finishAddsVendorHeadersToEveryResponseIncludingFaults() throws Exception {
        try (FakeProviderServer usage = new FakeProviderServer(clock) {
            @Override
            protected FakeResponse finish(FakeRequest request, FakeResponse response) {
                return response.withHeader("x-usage", "api-usage=" + journal().totalCount());
            }
        }) {
            usage.route("GET", "/x", r -> FakeResponse.empty(204));
            usage.start();
            usage.faults().next(1, RequestMatcher.any(), Fault.serviceUnavailable());
            HttpRequest get = HttpRequest.newBuilder(URI.create(usage.baseUrl() + "/x")).timeout(Duration.ofSeconds(10)).build();
            assertThat(client.send(get, HttpResponse.BodyHandlers.discarding()).headers().firstValue("x-usage")).contains("api-usage=1");
            assertThat(client.send(get, HttpResponse.BodyHandlers.discarding()).headers().firstValue("x-usage")).contains("api-usage=2");
        }
    }

    @Test
    void closeIsIdempotentAndStopsServing() throws Exception {
        started();
        URI base = server.baseUrl();
        server.close();
        server.close();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(base + "/items/1")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
}
