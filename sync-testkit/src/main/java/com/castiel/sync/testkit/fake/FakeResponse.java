package com.castiel.sync.testkit.fake;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A response a fake route answers. Immutable; derive variants with {@link #withHeader}.
 *
 * @param status HTTP status
 * @param headers header name (lower case) → values
 * @param body body bytes, empty for none
 */
public record FakeResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public FakeResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599, got " + status);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
    }

    /** A JSON response ({@code application/json; charset=utf-8}). */
    public static FakeResponse json(int status, JsonNode body) {
        return new FakeResponse(status, Map.of("content-type", List.of("application/json; charset=utf-8")),
                SyncJson.writeBytes(body));
    }

    /** A JSON response from raw text, sent as-is (also used to send deliberately broken JSON). */
    public static FakeResponse rawJson(int status, String body) {
        return new FakeResponse(status, Map.of("content-type", List.of("application/json; charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body (204, or a status whose body does not matter). */
    public static FakeResponse empty(int status) {
        return new FakeResponse(status, Map.of(), null);
    }

    public static FakeResponse text(int status, String contentType, String body) {
        return new FakeResponse(status, Map.of("content-type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with the header set to one value, replacing earlier values. */
    public FakeResponse withHeader(String name, String value) {
        Map<String, List<String>> next = new LinkedHashMap<>(headers);
        next.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new FakeResponse(status, next, body);
    }

    /** A copy with a header value appended. */
    public FakeResponse addHeader(String name, String value) {
        Map<String, List<String>> next = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(next.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
        values.add(value);
        next.put(name.toLowerCase(Locale.ROOT), values);
        return new FakeResponse(status, next, body);
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
