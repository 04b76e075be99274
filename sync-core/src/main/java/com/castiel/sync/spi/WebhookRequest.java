package com.castiel.sync.spi;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A webhook request exactly as received, before anything trusts it. {@code null} headers, query
 * or body read as empty; header names are lower-cased. The body array is not copied: callers
 * must not change it. {@link #toString()} shows names and sizes only, never a value.
 *
 * @param method HTTP method
 * @param headers header name (lower case) → values
 * @param query query parameter → values
 * @param body raw body bytes; signatures are verified on these, never on a re-serialisation
 * @param receivedAt when it arrived
 */
public record WebhookRequest(String method, Map<String, List<String>> headers, Map<String, List<String>> query, byte[] body, Instant receivedAt) {

    public WebhookRequest {
        headers = headers == null ? Map.of() : headers.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), e -> List.copyOf(e.getValue()), (a, b) -> a));
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** First value of a header, case-insensitive. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** First value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String bodyText() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Method, header and query names, body size: signatures, channel tokens and client states are secrets. */
    @Override
    public String toString() {
        return "WebhookRequest[" + method + ", headers=" + headers.keySet() + ", query=" + query.keySet() + ", body=" + body.length
                + " bytes, receivedAt=" + receivedAt + "]";
    }
}
