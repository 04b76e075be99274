package com.example.ticketdesk;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.testkit.fake.FakeProviderServer;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.FakeRequest;
import com.castiel.sync.testkit.fake.FakeResponse;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestRejected;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.fake.TokenAuthority;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * A fake Ticket Desk, built on the test kit's {@link FakeProviderServer}: the routes of the
 * (made-up) Ticket Desk API over a {@link FakeRecordStore}, its error shape
 * {@code {"errors":[{"field","reason"}]}}, and a client-credentials token endpoint. The journal,
 * faults and bearer-token checks come from the base.
 */
final class TicketDeskServer extends FakeProviderServer {

    static final String CLIENT_ID = "ticketdesk-example";
    private static final Set<String> STATUSES = Set.of("open", "pending", "closed");

    final FakeRecordStore store;
    final TokenAuthority tokens;
    private String clientSecret = "initial-secret";

    TicketDeskServer(Clock clock) {
        super(clock);
        store = new FakeRecordStore(clock, ChronoUnit.MILLIS, (entity, n) -> "T-" + n);
        tokens = new TokenAuthority(clock, Duration.ofMinutes(15)).registerClient(CLIENT_ID, clientSecret);
        requireBearerTokens(tokens);
        publicRoute("POST", "/oauth2/token", tokens.handler());
        route("GET", "/api/v2/tickets", this::list);
        route("POST", "/api/v2/tickets", r -> create(r.jsonBody(TicketDeskServer::unparseable)));
        route("GET", "/api/v2/tickets/{id}", r -> FakeResponse.json(200, ticket(existing(r.pathVariable("id")))));
        route("PATCH", "/api/v2/tickets/{id}", this::update);
        route("DELETE", "/api/v2/tickets/{id}", r -> {
            store.delete("tickets", existing(r.pathVariable("id")).id());
            return FakeResponse.empty(204);
        });
    }

    String clientSecret() {
        return clientSecret;
    }

    /** The admin rotated the API client's secret: stored credentials stop working. */
    void rotateClientSecret() {
        clientSecret = "rotated-secret";
        tokens.registerClient(CLIENT_ID, clientSecret);
    }

    @Override
    protected FakeResponse renderFault(Fault fault, FakeRequest request) {
        return switch (fault) {
            case Fault.RateLimited f -> errors(429, null, "rate limit exceeded").withHeader("retry-after", Integer.toString(f.retryAfterSeconds()));
            case Fault.ServiceUnavailable f -> errors(503, null, "maintenance in progress");
            default -> super.renderFault(fault, request);
        };
    }

    @Override
    protected FakeResponse unauthorized(FakeRequest request, TokenAuthority.AccessCheck check) {
        return errors(401, null, check == TokenAuthority.AccessCheck.EXPIRED ? "token expired" : "not authenticated");
    }

    private FakeResponse list(FakeRequest r) {
        int perPage = r.queryParam("per_page").map(Integer::parseInt).orElse(25);
        if (perPage < 1 || perPage > 100) {
            throw reject(422, "per_page", "must be between 1 and 100");
        }
        Watermark after = null;
        if (r.queryParam("page_token").isPresent()) {
            String[] parts = new String(Base64.getUrlDecoder().decode(r.queryParam("page_token").get()), StandardCharsets.UTF_8).split("\\|", 2);
            after = new Watermark(Instant.parse(parts[0]), parts[1]);
        } else if (r.queryParam("updated_since").isPresent()) {
            try {
                after = new Watermark(Instant.parse(r.queryParam("updated_since").get()), r.queryParam("since_id").orElse(""));
            } catch (DateTimeParseException e) {
                throw reject(422, "updated_since", "must be an ISO-8601 instant");
            }
        }
        FakeRecordStore.Slice slice = store.scan("tickets", after, perPage, FakeRecordStore.Visibility.LIVE);
        ObjectNode body = SyncJson.object();
        ArrayNode tickets = body.putArray("tickets");
        slice.records().forEach(t -> tickets.add(ticket(t)));
        if (slice.hasMore()) {
            Watermark last = slice.last();
            body.put("next_page_token", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((last.stamp() + "|" + last.id()).getBytes(StandardCharsets.UTF_8)));
        }
        return FakeResponse.json(200, body);
    }

    private FakeResponse create(JsonNode body) {
        ObjectNode fields = validated(body, true);
        return FakeResponse.json(201, ticket(store.create("tickets", fields)));
    }

    private FakeResponse update(FakeRequest r) {
        StoredRecord current = existing(r.pathVariable("id"));
        ObjectNode fields = validated(r.jsonBody(TicketDeskServer::unparseable), false);
        return FakeResponse.json(200, ticket(store.update("tickets", current.id(), fields)));
    }

    private static ObjectNode validated(JsonNode body, boolean creating) {
        if (!body.isObject()) {
            throw reject(422, null, "a ticket must be a JSON object");
        }
        ObjectNode fields = (ObjectNode) body;
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode v = fields.get(name);
            switch (name) {
                case "subject" -> {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        throw reject(422, name, "must be a non-empty string");
                    }
                }
                case "status" -> {
                    if (!v.isTextual() || !STATUSES.contains(v.asText())) {
                        throw reject(422, name, "must be one of open, pending, closed");
                    }
                }
                case "priority" -> {
                    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 4) {
                        throw reject(422, name, "must be an integer from 1 to 4");
                    }
                }
                default -> throw reject(422, name, "is not a ticket field");
            }
        }
        if (creating && !fields.hasNonNull("subject")) {
            throw reject(422, "subject", "is required");
        }
        return fields;
    }

    private StoredRecord existing(String id) {
        return store.get("tickets", id).orElseThrow(() -> reject(404, null, "no ticket " + id));
    }

    private static ObjectNode ticket(StoredRecord r) {
        ObjectNode json = r.fields();
        json.put("ticket_id", r.id()).put("updated_at", r.modifiedAt().toString()).put("rev", r.version());
        return json;
    }

    private static FakeResponse errors(int status, String field, String reason) {
        ObjectNode error = SyncJson.object().put("reason", reason);
        if (field != null) {
            error.put("field", field);
        }
        ObjectNode body = SyncJson.object();
        body.putArray("errors").add(error);
        return FakeResponse.json(status, body);
    }

    private static RequestRejected reject(int status, String field, String reason) {
        return new RequestRejected(errors(status, field, reason));
    }

    private static FakeResponse unparseable(String reason) {
        return errors(400, null, reason);
    }
}
