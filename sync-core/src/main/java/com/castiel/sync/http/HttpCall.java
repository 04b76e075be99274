package com.castiel.sync.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as it travels through the interceptor chain. Immutable: interceptors derive
 * changed copies with {@link #withHeader}.
 *
 * @param method HTTP method
 * @param uri absolute URI
 * @param headers header name (lower case) → values
 * @param body request body, empty for none
 * @param timeout per-attempt response timeout; {@code null} uses the client's default
 */
public record HttpCall(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration timeout) {

    public HttpCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
    }

    public static HttpCall get(URI uri) {
        return new HttpCall("GET", uri, Map.of(), null, null);
    }

    public static HttpCall json(String method, URI uri, byte[] json) {
        return new HttpCall(method, uri, Map.of("content-type", List.of("application/json")), json, null);
    }

    public static HttpCall form(URI uri, String urlEncodedForm) {
        return new HttpCall("POST", uri, Map.of("content-type", List.of("application/x-www-form-urlencoded")),
                urlEncodedForm.getBytes(StandardCharsets.UTF_8), null);
    }

    /** First value of a header. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** A copy with the header set to one value, replacing earlier values. */
    public HttpCall withHeader(String name, String value) {
        Map<String, List<String>> next = new LinkedHashMap<>(headers);
        next.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new HttpCall(method, uri, next, body, timeout);
    }

    /** A copy with a header value appended. */
    public HttpCall addHeader(String name, String value) {
        Map<String, List<String>> next = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(next.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
        values.add(value);
        next.put(name.toLowerCase(Locale.ROOT), values);
        return new HttpCall(method, uri, next, body, timeout);
    }

    public HttpCall withTimeout(Duration newTimeout) {
        return new HttpCall(method, uri, headers, body, newTimeout);
    }

    /**
     * Method, scheme, host, port and path: safe to log. Leaves out the query string and fragment
     * (they may carry tokens) and any user-info part of the authority (it may carry a password).
     */
    public String describe() {
        String host = uri.getHost();
        if (host == null) {
            return method + " " + uri.getScheme() + ":<opaque>";
        }
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return method + " " + uri.getScheme() + "://" + host + port + path;
    }

    /** {@link #describe()} plus header names and the body size: header values and query strings carry tokens. */
    @Override
    public String toString() {
        return "HttpCall[" + describe() + ", headers=" + headers.keySet() + ", body=" + body.length + " bytes, timeout=" + timeout + "]";
    }
}
