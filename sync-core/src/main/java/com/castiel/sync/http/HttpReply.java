package com.castiel.sync.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A complete HTTP response.
 *
 * @param status status code
 * @param headers header name (lower case) → values
 * @param body body bytes, empty for none
 */
public record HttpReply(int status, Map<String, List<String>> headers, byte[] body) {

    public HttpReply {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Status, header names and body size: cookies and token responses are secrets. */
    @Override
    public String toString() {
        return "HttpReply[" + status + ", headers=" + headers.keySet() + ", body=" + body.length + " bytes]";
    }
}
