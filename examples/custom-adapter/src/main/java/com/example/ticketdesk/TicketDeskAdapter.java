package com.example.ticketdesk;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.SyncException.Details;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Syncs tickets with Ticket Desk, a made-up help-desk SaaS with a small REST API:
 *
 * <ul>
 *   <li>{@code POST /oauth2/token} — client-credentials grant (HTTP Basic), tokens for 15 min;</li>
 *   <li>{@code GET /api/v2/tickets?updated_since&since_id&per_page&page_token} — tickets in
 *       ({@code updated_at}, {@code ticket_id}) order, {@code next_page_token} while more;</li>
 *   <li>{@code GET|PATCH|DELETE /api/v2/tickets/{id}}, {@code POST /api/v2/tickets}.</li>
 * </ul>
 *
 * <p>Ticket Desk has one entity, {@code tickets}; it has no deleted feed, no batch endpoint and no
 * webhooks, so the adapter declares only what it can do and the engine (and the contract suite)
 * use nothing else. Thread-safe: no mutable state.
 */
public final class TicketDeskAdapter implements ProviderAdapter {

    static final String PROVIDER = "ticketdesk";
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(
            Capability.READ, Capability.INCREMENTAL, Capability.FETCH_BY_IDS, Capability.WRITE, Capability.TOKEN_REFRESH));
    private static final String ENTITY = "tickets";
    private static final int MAX_PER_PAGE = 100;

    private final AdapterContext context;
    private final String baseUrl;
    private final SyncHttpClient api;
    private final SyncHttpClient tokenEndpoint;

    TicketDeskAdapter(AdapterContext context, URI baseUrl) {
        this.context = context;
        this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
        // built once: the host's chain adds retries, rate limiting, the bearer header and refresh-on-401
        this.api = context.apiClient(TicketDeskErrorClassifier.API);
        this.tokenEndpoint = context.tokenClient(TicketDeskErrorClassifier.TOKEN);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Page fetch(FetchRequest request) {
        requireTickets(request.entity());
        if (request.filters().stream().anyMatch(f -> f.appliesTo(ENTITY))) {
            throw new SyncException.Configuration("ticketdesk cannot filter tickets; remove the pull filters on '"
                    + request.filters().get(0).field() + "'", Details.of(PROVIDER, 0, null));
        }
        StringBuilder q = new StringBuilder("per_page=").append(Math.min(request.pageSize(), MAX_PER_PAGE));
        if (request.cursor() != null) {
            q.append("&page_token=").append(encode(request.cursor()));
        } else if (request.since() != null) {
            q.append("&updated_since=").append(encode(request.since().stamp().toString()))
                    .append("&since_id=").append(encode(request.since().id()));
        }
        HttpCall call = HttpCall.get(URI.create(baseUrl + "/api/v2/tickets?" + q));
        JsonNode body = json(call, api.send(call));
        List<ExternalRecord> records = new ArrayList<>();
        for (JsonNode ticket : body.path("tickets")) {
            records.add(toRecord(ticket));
        }
        String next = body.path("next_page_token").isTextual() ? body.get("next_page_token").asText() : null;
        return Page.of(records, next);
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        requireTickets(entity);
        List<ExternalRecord> found = new ArrayList<>();
        for (String id : ids) {
            HttpCall call = HttpCall.get(URI.create(baseUrl + "/api/v2/tickets/" + encode(id)));
            try {
                found.add(toRecord(json(call, api.send(call))));
            } catch (SyncException.NotFound gone) {
                // missing ids are simply absent from the result
            }
        }
        return found;
    }

    @Override
    public WriteResult write(WriteRequest request) {
        requireTickets(request.entity());
        String path = baseUrl + "/api/v2/tickets";
        HttpCall call = switch (request.kind()) {
            case CREATE -> HttpCall.json("POST", URI.create(path), SyncJson.writeBytes(request.fields()));
            case UPDATE -> HttpCall.json("PATCH", URI.create(path + "/" + encode(request.externalId())), SyncJson.writeBytes(request.fields()));
            case DELETE -> new HttpCall("DELETE", URI.create(path + "/" + encode(request.externalId())), null, null, null);
            case UPSERT -> throw new SyncException.Configuration("ticketdesk has no upsert", Details.of(PROVIDER, 0, null));
        };
        try {
            HttpReply reply = api.send(call);
            if (request.kind() == WriteKind.DELETE) {
                return new WriteResult.Written(request.externalId(), null, null, false);
            }
            ExternalRecord written = toRecord(json(call, reply));
            return new WriteResult.Written(written.id(), written.version(), written.modifiedAt(), request.kind() == WriteKind.CREATE);
        } catch (SyncException.Validation | SyncException.NotFound | SyncException.Conflict refused) {
            return new WriteResult.Failed(refused);
        }
    }

    @Override
    public Credentials refreshCredentials(Credentials current) {
        String clientId = current.property("client_id").orElse("");
        String clientSecret = current.property("client_secret").orElse("");
        if (clientId.isBlank() || clientSecret.isBlank()) {
            throw new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS,
                    "ticketdesk: credential properties 'client_id' and 'client_secret' are required", Details.of(PROVIDER, 0, null));
        }
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        HttpCall call = HttpCall.form(URI.create(baseUrl + "/oauth2/token"), "grant_type=client_credentials")
                .withHeader("authorization", "Basic " + basic);
        JsonNode body = json(call, tokenEndpoint.send(call));
        Instant now = context.clock().instant();
        long expiresIn = body.path("expires_in").asLong(0);
        return current.withGrant(body.path("access_token").asText(), null, expiresIn > 0 ? now.plusSeconds(expiresIn) : null, null, now);
    }

    private static ExternalRecord toRecord(JsonNode ticket) {
        ObjectNode fields = ticket.deepCopy();
        String id = fields.remove("ticket_id") instanceof JsonNode n ? n.asText() : null;
        JsonNode updatedAt = fields.remove("updated_at");
        JsonNode rev = fields.remove("rev");
        if (id == null || updatedAt == null) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "ticketdesk: a ticket lacks ticket_id or updated_at",
                    null, Details.of(PROVIDER, 200, null), null);
        }
        try {
            return ExternalRecord.of(ENTITY, id, fields, Instant.parse(updatedAt.asText()), rev == null ? null : rev.asText());
        } catch (DateTimeParseException e) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "ticketdesk: updated_at is not an instant",
                    null, Details.of(PROVIDER, 200, null), e);
        }
    }

    /** Never let a broken body pass for an empty page: the engine would stop reading. */
    private static JsonNode json(HttpCall call, HttpReply reply) {
        try {
            JsonNode node = SyncJson.mapper().readTree(reply.bodyStream());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below, without the parser's message: it may quote the body
        }
        throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "ticketdesk: " + call.describe()
                + " answered malformed JSON", null, Details.of(PROVIDER, reply.status(), null), null);
    }

    private static void requireTickets(String entity) {
        if (!ENTITY.equals(entity)) {
            throw new SyncException.Configuration("ticketdesk has only the entity 'tickets', not '" + entity + "'",
                    Details.of(PROVIDER, 0, null));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
