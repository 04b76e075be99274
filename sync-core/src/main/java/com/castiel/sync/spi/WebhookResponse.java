package com.castiel.sync.spi;

import java.nio.charset.StandardCharsets;

/**
 * What the receiver answers the provider.
 *
 * @param status HTTP status
 * @param contentType content type of {@code body}, or {@code null} for no body
 * @param body response body, may be empty
 */
public record WebhookResponse(int status, String contentType, byte[] body) {

    public WebhookResponse {
        body = body == null ? new byte[0] : body;
    }

    public static WebhookResponse ok() {
        return new WebhookResponse(200, null, new byte[0]);
    }

    public static WebhookResponse accepted() {
        return new WebhookResponse(202, null, new byte[0]);
    }

    public static WebhookResponse text(int status, String contentType, String body) {
        return new WebhookResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
