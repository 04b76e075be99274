package com.castiel.sync.testkit.reference;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.FilterOperator;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.SyncException.Details;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookResponse;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The adapter for the {@linkplain ReferenceProviderServer reference provider}, and the model to
 * copy when writing one: it declares every {@link Capability}, uses only the SPI, the model and
 * the HTTP layer, lets the host's HTTP client do retries, rate limiting and token refresh, and
 * classifies every failure with its {@link ReferenceErrorClassifier}.
 *
 * <p><b>Reads.</b> Full and incremental scans use the list endpoint in ascending
 * ({@code modified_at}, {@code id}) order; {@link FetchRequest#since()} becomes
 * {@code after}/{@code after_id}. The last page of a list scan carries a delta token; with a
 * {@link FetchRequest#deltaToken()} the change feed is read instead (change order, tombstones
 * included, pull filters applied here because the feed has none). Pull filters support
 * {@code eq} on scalar values only; anything else fails with {@code Configuration} naming the
 * filter.
 *
 * <p><b>Writes.</b> Per-record refusals ({@code Validation}, {@code Conflict}, {@code NotFound})
 * come back as {@link WriteResult.Failed}; failures of the whole exchange are thrown. Batches go
 * {@value ReferenceProviderServer#MAX_BATCH} operations per call.
 *
 * <p><b>Replies that are not JSON</b> on a success status (a truncated body from a proxy) fail
 * with {@code Transient SERVICE_UNAVAILABLE} naming the call and where the JSON broke — never an
 * empty page, which the engine would take as "no more records".
 *
 * <p>Thread-safe: all state is immutable after construction.
 */
public final class ReferenceAdapter implements ProviderAdapter {

    /** Everything: the reference adapter is the model for every capability. */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.allOf(Capability.class));

    static final String PROVIDER = "reference";
    static final String TIMESTAMP_HEADER = "x-reference-timestamp";
    static final String SIGNATURE_HEADER = "x-reference-signature";
    private static final int MAX_PAGE = 200;
    private static final int MAX_IDS = 100;
    private static final int MAX_BATCH = 50;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final AdapterContext context;
    private final String baseUrl;
    private final URI tokenUrl;
    private final Duration webhookTolerance;
    private final SyncHttpClient api;
    private final SyncHttpClient tokens;

    ReferenceAdapter(AdapterContext context, URI baseUrl, URI tokenUrl, Duration webhookTolerance) {
        this.context = context;
        this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
        this.tokenUrl = tokenUrl;
        this.webhookTolerance = webhookTolerance;
        this.api = context.apiClient(ReferenceErrorClassifier.API);
        this.tokens = context.tokenClient(ReferenceErrorClassifier.TOKEN_ENDPOINT);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    // ---- reads ------------------------------------------------------------------------------

    @Override
    public Page fetch(FetchRequest request) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(Math.min(request.pageSize(), MAX_PAGE)));
        if (!request.fields().isEmpty()) {
            query.put("fields", String.join(",", request.fields()));
        }
        List<PullFilter> filters = request.filters().stream().filter(f -> f.appliesTo(request.entity())).toList();
        filters.forEach(ReferenceAdapter::requireExpressible);
        String path;
        if (request.deltaToken() != null) {
            path = "/v1/" + segment(request.entity()) + "/changes";
            query.put(request.cursor() != null ? "cursor" : "token", request.cursor() != null ? request.cursor() : request.deltaToken());
        } else {
            path = "/v1/" + segment(request.entity());
            filters.forEach(f -> query.put("filter." + f.field(), f.value().asText()));
            if (request.cursor() != null) {
                query.put("cursor", request.cursor());
            } else if (request.since() != null) {
                query.put("after", request.since().stamp().toString());
                query.put("after_id", request.since().id());
            }
        }
        JsonNode body = getJson(path, query);
        List<ExternalRecord> records = new ArrayList<>();
        for (JsonNode n : body.path("records")) {
            ExternalRecord r = toRecord(request.entity(), n);
            // the change feed has no filter parameters, so filter its live records here
            if (r.deleted() || request.deltaToken() == null || filters.stream().allMatch(f -> matches(r, f))) {
                records.add(r);
            }
        }
        String next = textOrNull(body.path("next_cursor"));
        return new Page(records, next, next == null ? textOrNull(body.path("delta_token")) : null);
    }

    @Override
    public Page fetchDeleted(FetchRequest request) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(Math.min(request.pageSize(), MAX_PAGE)));
        if (request.cursor() != null) {
            query.put("cursor", request.cursor());
        } else if (request.since() != null) {
            query.put("after", request.since().stamp().toString());
            query.put("after_id", request.since().id());
        }
        JsonNode body = getJson("/v1/" + segment(request.entity()) + "/deleted", query);
        List<ExternalRecord> tombstones = new ArrayList<>();
        for (JsonNode n : body.path("deleted")) {
            tombstones.add(ExternalRecord.tombstone(request.entity(), requiredText(n, "id"), instant(n, "deleted_at")));
        }
        return Page.of(tombstones, textOrNull(body.path("next_cursor")));
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        List<ExternalRecord> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += MAX_IDS) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("ids", String.join(",", ids.subList(from, Math.min(ids.size(), from + MAX_IDS))));
            if (!fields.isEmpty()) {
                query.put("fields", String.join(",", fields));
            }
            for (JsonNode n : getJson("/v1/" + segment(entity), query).path("records")) {
                found.add(toRecord(entity, n));
            }
        }
        return found;
    }

    // ---- writes -----------------------------------------------------------------------------

    @Override
    public WriteResult write(WriteRequest request) {
        String entityPath = "/v1/" + segment(request.entity());
        ObjectNode body = SyncJson.object();
        body.set("fields", request.fields());
        HttpCall call = switch (request.kind()) {
            case CREATE -> HttpCall.json("POST", uri(entityPath, Map.of()), SyncJson.writeBytes(body));
            case UPDATE -> HttpCall.json("PATCH", uri(entityPath + "/" + segment(request.externalId()), Map.of()), SyncJson.writeBytes(body));
            case UPSERT -> HttpCall.json("PUT", uri(entityPath + "/by/" + segment(request.upsertField()) + "/"
                    + segment(request.upsertValue()), Map.of()), SyncJson.writeBytes(body));
            case DELETE -> new HttpCall("DELETE", uri(entityPath + "/" + segment(request.externalId()), Map.of()), Map.of(), null, null);
        };
        if (request.ifMatch() != null) {
            call = call.withHeader("If-Match", request.ifMatch());
        }
        if (request.ifUnmodifiedSince() != null) {
            call = call.withHeader("If-Unmodified-Since", HTTP_DATE.format(request.ifUnmodifiedSince()));
        }
        try {
            HttpReply reply = api.send(call);
            if (request.kind() == WriteKind.DELETE) {
                return new WriteResult.Written(request.externalId(), null, null, false);
            }
            JsonNode record = parse(call, reply);
            return written(record, reply.status() == 201);
        } catch (SyncException.Validation | SyncException.Conflict | SyncException.NotFound refused) {
            return new WriteResult.Failed(refused);
        }
    }

    @Override
    public List<WriteResult> writeBatch(List<WriteRequest> requests) {
        List<WriteResult> results = new ArrayList<>(requests.size());
        // one call per entity and chunk; results are reassembled in request order
        for (int from = 0; from < requests.size(); ) {
            String entity = requests.get(from).entity();
            int to = from;
            while (to < requests.size() && to - from < MAX_BATCH && requests.get(to).entity().equals(entity)) {
                to++;
            }
            results.addAll(sendBatch(entity, requests.subList(from, to)));
            from = to;
        }
        return results;
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH;
    }

    private List<WriteResult> sendBatch(String entity, List<WriteRequest> requests) {
        ObjectNode body = SyncJson.object();
        ArrayNode operations = body.putArray("operations");
        for (WriteRequest r : requests) {
            ObjectNode op = operations.addObject().put("op", r.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (r.externalId() != null) {
                op.put("id", r.externalId());
            }
            if (r.kind() == WriteKind.UPSERT) {
                op.put("match_field", r.upsertField()).put("match_value", r.upsertValue());
            }
            if (r.kind() != WriteKind.DELETE) {
                op.set("fields", r.fields());
            }
            if (r.ifMatch() != null) {
                op.put("if_match", r.ifMatch());
            }
            if (r.ifUnmodifiedSince() != null) {
                op.put("if_unmodified_since", r.ifUnmodifiedSince().toString());
            }
        }
        HttpCall call = HttpCall.json("POST", uri("/v1/" + segment(entity) + "/batch", Map.of()), SyncJson.writeBytes(body));
        HttpReply reply = api.send(call);
        JsonNode resultNodes = parse(call, reply).path("results");
        if (!resultNodes.isArray() || resultNodes.size() != requests.size()) {
            throw malformed(call, reply, "expected " + requests.size() + " batch results, got " + resultNodes.size());
        }
        List<WriteResult> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JsonNode result = resultNodes.get(i);
            int status = result.path("status").asInt();
            if (status == 204) {
                results.add(new WriteResult.Written(requests.get(i).externalId(), null, null, false));
            } else if (status >= 200 && status < 300) {
                results.add(written(result.path("record"), status == 201));
            } else {
                ReferenceErrorClassifier.ProviderError error = ReferenceErrorClassifier.ProviderError.of(result);
                results.add(new WriteResult.Failed(ReferenceErrorClassifier.apiFailure(status, error, null, false,
                        call.describe() + " operation " + i)));
            }
        }
        return results;
    }

    private static WriteResult.Written written(JsonNode record, boolean created) {
        return new WriteResult.Written(requiredText(record, "id"), textOrNull(record.path("etag")), instant(record, "modified_at"), created);
    }

    // ---- webhooks ---------------------------------------------------------------------------

    @Override
    public WebhookVerdict verifyWebhook(WebhookRequest request) {
        String secret = context.storedCredentials().property("webhook_secret").orElseThrow(() -> new SyncException.Configuration(
                "credential property 'webhook_secret' is required to verify reference webhooks", Details.of(PROVIDER, 0, null)));
        Optional<String> timestamp = request.header(TIMESTAMP_HEADER);
        Optional<String> signature = request.header(SIGNATURE_HEADER);
        if (timestamp.isEmpty() || signature.isEmpty()) {
            return new WebhookVerdict.Reject(401, "missing X-Reference-Timestamp or X-Reference-Signature");
        }
        Instant sentAt;
        try {
            sentAt = Instant.ofEpochSecond(Long.parseLong(timestamp.get().trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return new WebhookVerdict.Reject(400, "X-Reference-Timestamp is not epoch seconds");
        }
        Instant now = request.receivedAt() != null ? request.receivedAt() : context.clock().instant();
        if (Duration.between(sentAt, now).abs().compareTo(webhookTolerance) > 0) {
            // a replayed or badly delayed delivery: polling will reconcile whatever it announced
            return new WebhookVerdict.Reject(401, "timestamp outside the " + webhookTolerance.toSeconds() + " s tolerance");
        }
        byte[] expected = ("v1=" + hmacHex(secret, (timestamp.get().trim() + ".").getBytes(StandardCharsets.UTF_8), request.body()))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.get().trim().getBytes(StandardCharsets.US_ASCII))) {
            return new WebhookVerdict.Reject(401, "signature mismatch");
        }
        JsonNode body;
        try {
            body = SyncJson.mapper().readTree(request.body());
        } catch (IOException e) {
            return new WebhookVerdict.Reject(400, "body is not JSON");
        }
        String type = body == null ? "" : body.path("type").asText("");
        return switch (type) {
            case "challenge" -> new WebhookVerdict.Handshake(WebhookResponse.text(200, "application/json",
                    SyncJson.write(SyncJson.object().put("challenge", body.path("challenge").asText("")))));
            case "changes" -> new WebhookVerdict.Accept(WebhookResponse.accepted());
            default -> new WebhookVerdict.Reject(400, "unknown webhook type");
        };
    }

    @Override
    public List<ChangeNotice> parseWebhook(WebhookPayload payload) {
        JsonNode body;
        try {
            body = SyncJson.mapper().readTree(payload.body());
        } catch (JsonProcessingException e) {
            throw new SyncException.Validation("reference webhook payload is not JSON", null, Details.of(PROVIDER, 0, null));
        }
        JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray()) {
            throw new SyncException.Validation("reference webhook payload has no 'events' array", "events", Details.of(PROVIDER, 0, null));
        }
        String delivery = body.path("delivery_id").asText("");
        List<ChangeNotice> notices = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            String entity = e.path("entity").asText(null);
            String id = e.path("record_id").asText(null);
            if (entity == null || id == null) {
                throw new SyncException.Validation("reference webhook event " + i + " lacks entity or record_id", "events", Details.of(PROVIDER, 0, null));
            }
            boolean deleted = "deleted".equals(e.path("change").asText());
            ExternalRecord record = !deleted && e.path("record").isObject() ? toRecord(entity, e.path("record")) : null;
            Instant occurredAt = e.hasNonNull("occurred_at") ? parseInstant(e.get("occurred_at").asText()) : null;
            notices.add(new ChangeNotice(entity, id, deleted, record, occurredAt, delivery.isEmpty() ? null : delivery + "#" + i));
        }
        return notices;
    }

    // ---- tokens -----------------------------------------------------------------------------

    @Override
    public Credentials refreshCredentials(Credentials current) {
        if (current.refreshToken() == null) {
            throw new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, "reference: no refresh token stored; reconnect the integration",
                    Details.of(PROVIDER, 0, null));
        }
        String clientId = requiredProperty(current, "client_id");
        String clientSecret = requiredProperty(current, "client_secret");
        String form = "grant_type=refresh_token&refresh_token=" + encode(current.refreshToken())
                + "&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret);
        HttpCall call = HttpCall.form(tokenUrl, form);
        HttpReply reply = tokens.send(call);
        JsonNode body = parse(call, reply);
        String accessToken = textOrNull(body.path("access_token"));
        if (accessToken == null) {
            throw malformed(call, reply, "no access_token in the token response");
        }
        Instant now = context.clock().instant();
        long expiresIn = body.path("expires_in").asLong(0);
        return current.withGrant(accessToken, textOrNull(body.path("refresh_token")), expiresIn > 0 ? now.plusSeconds(expiresIn) : null, null, now);
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private JsonNode getJson(String path, Map<String, String> query) {
        HttpCall call = HttpCall.get(uri(path, query));
        return parse(call, api.send(call));
    }

    private URI uri(String path, Map<String, String> query) {
        String q = query.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return URI.create(baseUrl + path + (q.isEmpty() ? "" : "?" + q));
    }

    /** The reply body as a JSON object, or a loud failure: a broken body must never pass as "no records". */
    private static JsonNode parse(HttpCall call, HttpReply reply) {
        try {
            JsonNode node = SyncJson.mapper().readTree(reply.bodyStream());
            if (node == null || !node.isObject()) {
                throw malformed(call, reply, "the body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            // the location, not the parser's message: the message may quote body text, and token replies carry secrets
            throw malformed(call, reply, "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw malformed(call, reply, "unreadable body");
        }
    }

    private static SyncException malformed(HttpCall call, HttpReply reply, String what) {
        return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, PROVIDER + ": " + call.describe() + " answered "
                + reply.status() + " with an invalid body (" + what + ")", null, Details.of(PROVIDER, reply.status(), null), null);
    }

    private static ExternalRecord toRecord(String entity, JsonNode n) {
        String id = requiredText(n, "id");
        if (n.path("deleted").asBoolean(false)) {
            return ExternalRecord.tombstone(entity, id, instant(n, "deleted_at"));
        }
        ObjectNode fields = n.path("fields").isObject() ? (ObjectNode) n.get("fields") : SyncJson.object();
        return ExternalRecord.of(entity, id, fields, instant(n, "modified_at"), textOrNull(n.path("etag")));
    }

    private static void requireExpressible(PullFilter f) {
        if (f.operator() != FilterOperator.EQ || f.value() == null || !f.value().isValueNode()) {
            throw new SyncException.Configuration("pull filter on '" + f.field() + "' uses '" + f.operator().wire()
                    + "' with a " + (f.value() == null ? "missing" : f.value().getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                    + " value; the reference provider supports only 'eq' on a single value", Details.of(PROVIDER, 0, null));
        }
    }

    private static boolean matches(ExternalRecord r, PullFilter f) {
        JsonNode v = r.fields().get(f.field());
        return v != null && !v.isNull() && v.asText().equals(f.value().asText());
    }

    private static String requiredText(JsonNode n, String name) {
        String v = textOrNull(n.path(name));
        if (v == null) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, PROVIDER + ": reply lacks '" + name + "'", null,
                    Details.of(PROVIDER, 200, null), null);
        }
        return v;
    }

    private static Instant instant(JsonNode n, String name) {
        String v = textOrNull(n.path(name));
        return v == null ? null : parseInstant(v);
    }

    private static Instant parseInstant(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, PROVIDER + ": reply has an invalid timestamp", null,
                    Details.of(PROVIDER, 200, null), e);
        }
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static String requiredProperty(Credentials c, String name) {
        return c.property(name).filter(v -> !v.isBlank()).orElseThrow(() -> new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS,
                "reference: credential property '" + name + "' is missing; reconnect the integration", Details.of(PROVIDER, 0, null)));
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String hmacHex(String secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
