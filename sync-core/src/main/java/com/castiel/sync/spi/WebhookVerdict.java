package com.castiel.sync.spi;

import java.util.Objects;

/** The adapter's decision on a webhook request, made before anything is queued. */
public sealed interface WebhookVerdict {

    /**
     * Authentic: the receiver queues the payload durably, then answers {@code response} (e.g.
     * Salesforce's {@code notificationsResponse} acknowledgement, or 202).
     */
    record Accept(WebhookResponse response) implements WebhookVerdict {
        public Accept {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * A subscription handshake (Graph {@code validationToken}, Zoom {@code endpoint.url_validation},
     * Drive {@code sync}): answer {@code response} and queue nothing.
     */
    record Handshake(WebhookResponse response) implements WebhookVerdict {
        public Handshake {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * Forged, stale or malformed: answer {@code status} (401 forged, 400 malformed) and queue
     * nothing. {@code reason} is for logs and must not echo secrets.
     */
    record Reject(int status, String reason) implements WebhookVerdict {
    }
}
