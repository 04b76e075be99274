package com.example.ticketdesk;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.SyncException.Details;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Ticket Desk's replies in the engine's taxonomy. Ticket Desk reports errors as
 * {@code {"errors":[{"field":…,"reason":…}]}}: 401 expired token, 404 unknown ticket, 422
 * invalid ticket (the first error's field), 429 with {@code Retry-After}, 5xx outages. On the
 * token endpoint a 400 or 401 means the client credentials were refused.
 */
final class TicketDeskErrorClassifier implements HttpErrorClassifier {

    static final TicketDeskErrorClassifier API = new TicketDeskErrorClassifier(false);
    static final TicketDeskErrorClassifier TOKEN = new TicketDeskErrorClassifier(true);

    private final boolean tokenEndpoint;

    private TicketDeskErrorClassifier(boolean tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    @Override
    public Optional<SyncException> classify(HttpCall call, HttpReply reply) {
        if (reply.isSuccess()) {
            return Optional.empty();
        }
        int status = reply.status();
        JsonNode first = firstError(reply.body());
        String field = first.path("field").isTextual() ? first.get("field").asText() : null;
        String reason = first.path("reason").asText("no reason given");
        Details details = Details.of(TicketDeskAdapter.PROVIDER, status, null);
        String message = "ticketdesk: " + call.describe() + " answered " + status + ": " + reason;
        Duration retryAfter = reply.header("retry-after").map(TicketDeskErrorClassifier::seconds).orElse(null);
        if (status == 429) {
            return Optional.of(new SyncException.RateLimited(message, retryAfter, details));
        }
        if (status >= 500) {
            return Optional.of(new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, retryAfter, details, null));
        }
        if (tokenEndpoint) {
            return Optional.of(new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, message, details));
        }
        return Optional.of(switch (status) {
            case 401 -> new SyncException.AuthExpired(message, details);
            case 403 -> new SyncException.AuthFailed(message, details);
            case 404 -> new SyncException.NotFound(message, details);
            case 409, 412 -> new SyncException.Conflict(message, details);
            default -> new SyncException.Validation(message, field, details);
        });
    }

    private static JsonNode firstError(byte[] body) {
        try {
            JsonNode root = SyncJson.mapper().readTree(body);
            return root == null ? SyncJson.object() : root.path("errors").path(0);
        } catch (IOException e) {
            return SyncJson.object();
        }
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
