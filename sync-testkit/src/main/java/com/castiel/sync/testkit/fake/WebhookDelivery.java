package com.castiel.sync.testkit.fake;

import com.castiel.sync.spi.WebhookRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A webhook a fake provider sends: headers (signatures included) and the raw body, exactly as
 * they go on the wire.
 *
 * @param headers header name (lower case) → value
 * @param body raw body bytes (what the signature covers)
 */
public record WebhookDelivery(Map<String, String> headers, byte[] body) {

    public WebhookDelivery {
        Map<String, String> lower = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = java.util.Collections.unmodifiableMap(lower);
        body = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A copy with one header replaced (for forged or stale variants in tests). */
    public WebhookDelivery withHeader(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(headers);
        next.put(name.toLowerCase(Locale.ROOT), value);
        return new WebhookDelivery(next, body);
    }

    /** A copy with another body and the same headers (a tampered delivery in tests). */
    public WebhookDelivery withBody(byte[] newBody) {
        return new WebhookDelivery(headers, newBody);
    }

    /** As the engine's receiver would see it: a POST received at {@code receivedAt}. */
    public WebhookRequest toRequest(Instant receivedAt) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new WebhookRequest("POST", multi, Map.of(), body.clone(), receivedAt);
    }

    /**
     * POSTs it to a receiver over HTTP and returns the status the receiver answered.
     *
     * @throws IOException when the receiver cannot be reached
     */
    public int deliverTo(URI target, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!k.equals("content-length") && !k.equals("host") && !k.equals("connection")) {
                b.header(k, v);
            }
        });
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
