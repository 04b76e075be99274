package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A bare HTTP client for the fake's tests: what an API client sends, without the adapter. */
final class SalesforceClient implements AutoCloseable {

    static final String API = "/services/data/" + FakeSalesforce.API_VERSION;

    /** One answer. */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return SyncJson.tree(body);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The first error of a Salesforce error array. */
        String errorCode() {
            return json().get(0).get("errorCode").asText();
        }
    }

    private final FakeSalesforce sf;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    SalesforceClient(FakeSalesforce sf) {
        this.sf = sf;
    }

    /** Obtains an access token with the refresh-token grant of the default connected app. */
    SalesforceClient login() {
        Reply r = form("grant_type=refresh_token&refresh_token=" + enc(sf.issueRefreshToken()) + "&client_id="
                + enc(FakeSalesforce.CLIENT_ID) + "&client_secret=" + enc(FakeSalesforce.CLIENT_SECRET));
        if (r.status() != 200) {
            throw new AssertionError("login failed: " + r.body());
        }
        token = r.json().get("access_token").asText();
        return this;
    }

    Reply form(String form, String... headers) {
        return exchange("POST", "/services/oauth2/token", form, "application/x-www-form-urlencoded", headers);
    }

    Reply get(String pathAndQuery, String... headers) {
        return exchange("GET", pathAndQuery, null, null, headers);
    }

    Reply query(String soql, String... headers) {
        return get(API + "/query?q=" + enc(soql), headers);
    }

    Reply queryAll(String soql, String... headers) {
        return get(API + "/queryAll?q=" + enc(soql), headers);
    }

    Reply send(String method, String path, String json, String... headers) {
        return exchange(method, path, json, json == null ? null : "application/json", headers);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Reply exchange(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sf.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
