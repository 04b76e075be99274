package com.castiel.sync.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reference API as documented on {@link ReferenceProviderServer}, spoken to with a plain HTTP client. */
class ReferenceProviderServerTest {

    private final ReferenceFixture fixture = new ReferenceFixture();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String token = fixture.server.tokens().issueAccessToken(fixture.server.clientId()).accessToken();

    @AfterEach
    void stop() {
        client.close();
        fixture.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return SyncJson.tree(r.body());
    }

    @Test
    void wrongTypedFieldIsRejectedNamingTheField() throws Exception {
        HttpResponse<String> r = call("POST", "/v1/contacts", "{\"fields\":{\"name\":\"A\",\"active\":\"yes\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_value");
        assertThat(json(r).at("/error/field").asText()).isEqualTo("active");
    }

    @Test
    void createAnswers201WithEtagAndLocation() throws Exception {
        HttpResponse<String> r = call("POST", "/v1/contacts", "{\"fields\":{\"name\":\"A\"}}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("etag")).isPresent();
        assertThat(r.headers().firstValue("location")).hasValue("/v1/contacts/" + json(r).get("id").asText());
    }

    @Test
    void staleIfMatchAnswers412() throws Exception {
        String id = fixture.seed(fixture.newRecordFields(1));
        HttpResponse<String> r = call("PATCH", "/v1/contacts/" + id, "{\"fields\":{\"score\":1}}", "If-Match", "\"999\"");
        assertThat(r.statusCode()).isEqualTo(412);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("precondition_failed");
    }

    @Test
    void afterWithoutAfterIdIsRejectedNamingTheParameter() throws Exception {
        HttpResponse<String> r = call("GET", "/v1/contacts?after=2024-01-01T00:00:00Z", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/field").asText()).isEqualTo("after_id");
    }

    @Test
    void limitAboveTheMaximumIsCapped() throws Exception {
        for (int i = 0; i < ReferenceProviderServer.MAX_PAGE_SIZE + 1; i++) {
            fixture.seed(fixture.newRecordFields(i));
        }
        HttpResponse<String> r = call("GET", "/v1/contacts?limit=5000", null);
        assertThat(json(r).get("records").size()).isEqualTo(ReferenceProviderServer.MAX_PAGE_SIZE);
        assertThat(json(r).get("next_cursor").isTextual()).isTrue();
    }

    @Test
    void batchAppliesEachOperationAndReportsPerOperationResults() throws Exception {
        String id = fixture.seed(fixture.newRecordFields(1));
        HttpResponse<String> r = call("POST", "/v1/contacts/batch", "{\"operations\":["
                + "{\"op\":\"create\",\"fields\":{\"name\":\"B\"}},"
                + "{\"op\":\"update\",\"id\":\"missing\",\"fields\":{\"name\":\"C\"}},"
                + "{\"op\":\"delete\",\"id\":\"" + id + "\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode results = json(r).get("results");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(404);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(results.get(2).get("status").asInt()).isEqualTo(204);
        assertThat(fixture.fieldsOf(id)).isEmpty();
    }

    @Test
    void batchAboveTheMaximumIsRejectedWhole() throws Exception {
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i <= ReferenceProviderServer.MAX_BATCH; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"create\",\"fields\":{\"name\":\"n").append(i).append("\"}}");
        }
        HttpResponse<String> r = call("POST", "/v1/contacts/batch", "{\"operations\":[" + ops + "]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(fixture.server.store().count("contacts")).isZero();
    }

    @Test
    void upsertByANonUniqueFieldIsRejected() throws Exception {
        HttpResponse<String> r = call("PUT", "/v1/contacts/by/email/a@b", "{\"fields\":{\"name\":\"A\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/field").asText()).isEqualTo("email");
    }

    @Test
    void webhookSignatureCoversTimestampAndRawBody() {
        var delivery = fixture.server.challenge("x");
        String ts = delivery.headers().get(ReferenceProviderServer.TIMESTAMP_HEADER);
        assertThat(ts).isEqualTo(Long.toString(fixture.clock().instant().getEpochSecond()));
        assertThat(delivery.headers().get(ReferenceProviderServer.SIGNATURE_HEADER)).startsWith("v1=").hasSize(3 + 64);
        assertThat(fixture.server.sign(delivery.body(), fixture.clock().instant()).headers()).isEqualTo(delivery.headers());
    }

    @Test
    void unauthenticatedCallsAre401() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(fixture.server.baseUrl() + "/v1/contacts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_token");
    }
}
