package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A verified webhook request as carried in {@code SyncJobMessage.webhookPayload}: the body exactly
 * as received, so the worker parses what was verified.
 *
 * @param contentType request content type
 * @param body request body, decoded as UTF-8
 * @param headers request headers the adapter may need to parse (lower-case names); never
 *     authorization headers or signatures
 * @param receivedAt when the receiver accepted it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WebhookPayload(String contentType, String body, Map<String, String> headers, Instant receivedAt) {

    public WebhookPayload {
        Objects.requireNonNull(body, "body");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Without the body, which may carry a shared secret (Graph's {@code clientState}). */
    @Override
    public String toString() {
        return "WebhookPayload[contentType=" + contentType + ", body=" + body.length() + " chars, headers=" + headers.keySet()
                + ", receivedAt=" + receivedAt + "]";
    }
}
