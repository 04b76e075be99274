package com.castiel.sync.testkit.fake;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One request as a fake route sees it: everything decoded, the body read whole.
 *
 * @param method HTTP method, upper case
 * @param path decoded path without query string
 * @param query query parameter → values, decoded
 * @param headers header name (lower case) → values, unredacted
 * @param body raw body bytes, empty for none
 * @param pathVariables values captured by {@code {name}} segments of the route's pattern
 * @param receivedAt when the server received it, on the server's clock
 */
public record FakeRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] body,
        Map<String, String> pathVariables,
        Instant receivedAt) implements RequestView {

    public FakeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
        Map<String, List<String>> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        headers = Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body;
        pathVariables = pathVariables == null ? Map.of() : Map.copyOf(pathVariables);
    }

    /**
     * A captured path variable.
     *
     * @throws IllegalArgumentException when the route's pattern has no such variable (a bug in
     *     the fake, reported as a 500)
     */
    public String pathVariable(String name) {
        String v = pathVariables.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no path variable '" + name + "'");
        }
        return v;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as JSON.
     *
     * @throws RequestRejected with a 400 {@code {"error":"invalid_json","message":…}} when the
     *     body is empty or not JSON
     */
    public JsonNode jsonBody() {
        return jsonBody(message -> {
            var error = SyncJson.object().put("error", "invalid_json").put("message", message);
            return FakeResponse.json(400, error);
        });
    }

    /**
     * The body as JSON, answering {@code onMalformed.apply(reason)} when it is not.
     *
     * @throws RequestRejected carrying the response {@code onMalformed} built
     */
    public JsonNode jsonBody(Function<String, FakeResponse> onMalformed) {
        if (body.length == 0) {
            throw new RequestRejected(onMalformed.apply("request body is empty; a JSON document is required"));
        }
        try {
            JsonNode node = SyncJson.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new RequestRejected(onMalformed.apply("request body is not a JSON document"));
            }
            return node;
        } catch (IOException e) {
            throw new RequestRejected(onMalformed.apply("request body is not valid JSON: " + firstLine(e.getMessage())));
        }
    }

    /** The body as an {@code application/x-www-form-urlencoded} form (first value per name). */
    public Map<String, String> formParams() {
        Map<String, String> form = new LinkedHashMap<>();
        parseQuery(bodyText()).forEach((k, v) -> form.put(k, v.get(0)));
        return form;
    }

    /** The bearer token of the {@code Authorization} header, if it carries one. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }

    /** HTTP Basic credentials (user, password) of the {@code Authorization} header, if any. */
    public Optional<Map.Entry<String, String>> basicCredentials() {
        return header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6))
                .flatMap(h -> {
                    try {
                        String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
                        int colon = decoded.indexOf(':');
                        return colon < 0 ? Optional.empty()
                                : Optional.of(Map.entry(decoded.substring(0, colon), decoded.substring(colon + 1)));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    /** A copy carrying the path variables of the matched route. */
    FakeRequest withPathVariables(Map<String, String> variables) {
        return new FakeRequest(method, path, query, headers, body, variables, receivedAt);
    }

    /** Parses {@code a=1&b=x%20y} into name → values, in order, decoding as UTF-8. */
    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
