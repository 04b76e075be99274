package com.castiel.sync.testkit.reference;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.testkit.fake.FakeProviderServer;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.FakeRequest;
import com.castiel.sync.testkit.fake.FakeResponse;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestRejected;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.fake.TokenAuthority;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reference provider: a small, generic JSON REST API, stateful and faithful to its own
 * documented behaviour, that the {@link ReferenceAdapter} talks to over real HTTP. It is the
 * worked example of a provider for adapter authors and the engine's end-to-end test partner.
 *
 * <h2>The API</h2>
 * All {@code /v1} paths need {@code Authorization: Bearer <access token>}; a missing, unknown or
 * expired token gets 401 with {@code WWW-Authenticate: Bearer error="invalid_token"} and
 * {@code {"error":{"code":"token_expired"|"invalid_token"}}}. Errors always have the shape
 * {@code {"error":{"code":…,"message":…,"field":…}}}, {@code field} naming the offending field
 * or parameter when there is one.
 *
 * <dl>
 * <dt>{@code POST /oauth/token}</dt>
 * <dd>Form-encoded OAuth 2.0 token endpoint: {@code grant_type=refresh_token} (optionally
 *     rotating the refresh token) or {@code client_credentials}, client credentials in the form
 *     or HTTP Basic. Answers {@code {"access_token","token_type":"Bearer","expires_in"[,
 *     "refresh_token"]}}; refusals are RFC 6749 errors ({@code invalid_grant} 400,
 *     {@code invalid_client} 401).</dd>
 * <dt>{@code GET /v1/{entity}?limit&after&after_id&cursor&fields&filter.<field>}</dt>
 * <dd>Live records in ascending ({@code modified_at}, {@code id}) order. {@code after} (ISO-8601)
 *     and {@code after_id} (both or neither) start after that position, exclusive. {@code limit}
 *     1–{@value #MAX_PAGE_SIZE}, default {@value #DEFAULT_PAGE_SIZE}, larger values are capped.
 *     {@code fields} is a comma-separated projection; {@code filter.<field>=<value>} keeps
 *     records whose field's text equals the value. Answers {@code {"records":[record…],
 *     "next_cursor":…|null}}; pass {@code next_cursor} back as {@code cursor} (with the same
 *     {@code fields} and filters) for the next page. The last page also carries
 *     {@code delta_token}: the position of the change feed as of the scan's first page.</dd>
 * <dt>{@code GET /v1/{entity}?ids=a,b,…&fields}</dt>
 * <dd>Up to {@value #MAX_IDS} records by id; missing and deleted ids are left out.</dd>
 * <dt>{@code GET /v1/{entity}/changes?token&cursor&limit&fields}</dt>
 * <dd>The change feed: every record changed and every record deleted after {@code token}, in
 *     change order; deleted ones as {@code {"id","deleted":true,"deleted_at"}}. The last page
 *     carries the next {@code delta_token}.</dd>
 * <dt>{@code GET /v1/{entity}/deleted?after&after_id&cursor&limit}</dt>
 * <dd>Tombstones {@code {"id","deleted_at"}} in ascending ({@code deleted_at}, {@code id})
 *     order. When the delete log was purged past {@code after}: 400 {@code since_too_old}.</dd>
 * <dt>{@code GET /v1/{entity}/{id}}</dt>
 * <dd>One live record, or 404 {@code not_found}.</dd>
 * <dt>{@code POST /v1/{entity}} with {@code {"fields":{…}}}</dt>
 * <dd>Creates: 201 with the record, {@code ETag} and {@code Location}.</dd>
 * <dt>{@code PATCH /v1/{entity}/{id}} with {@code {"fields":{…}}}</dt>
 * <dd>Sets the given fields, leaves the others; 200 with the record. {@code If-Match} (an ETag
 *     or {@code *}) and {@code If-Unmodified-Since} are honoured: 412
 *     {@code precondition_failed} when they do not hold. Setting values a record already has
 *     changes nothing (same ETag and {@code modified_at}).</dd>
 * <dt>{@code PUT /v1/{entity}/by/{field}/{value}} with {@code {"fields":{…}}}</dt>
 * <dd>Upsert by a unique field: 201 when created, 200 when updated.</dd>
 * <dt>{@code DELETE /v1/{entity}/{id}}</dt>
 * <dd>204; 404 when already gone; preconditions as for PATCH.</dd>
 * <dt>{@code POST /v1/{entity}/batch} with {@code {"operations":[…]}}</dt>
 * <dd>Up to {@value #MAX_BATCH} operations {@code {"op":"create"|"update"|"upsert"|"delete",
 *     "id","fields","if_match","if_unmodified_since","match_field","match_value"}}, applied one by one, not
 *     atomically: 200 with {@code {"results":[{"status":201,"record":…}|{"status":204,"id":…}|
 *     {"status":4xx,"error":…}]}} in operation order.</dd>
 * </dl>
 *
 * <p>A record is {@code {"id","modified_at","etag","fields":{…}}}. Write validation names the
 * field: {@code invalid_field} (not in the schema), {@code invalid_value} (wrong type),
 * {@code required} (missing or nulled required field), {@code duplicate_value} (unique field).
 *
 * <h2>Webhooks</h2>
 * {@link #webhookFor} builds a delivery: body {@code {"type":"changes","delivery_id",
 * "events":[{"entity","record_id","change":"upserted"|"deleted","occurred_at","record"?}]}},
 * headers {@code X-Reference-Timestamp} (epoch seconds) and {@code X-Reference-Signature:
 * v1=<hex HMAC-SHA256(webhook secret, timestamp + "." + raw body)>}. {@link #challenge} builds
 * the subscription handshake {@code {"type":"challenge","challenge":…}}, to be answered with
 * {@code {"challenge":…}}.
 *
 * <p>Thread-safe; every fault, journal and auth feature of {@link FakeProviderServer} applies.
 */
public class ReferenceProviderServer extends FakeProviderServer {

    /** Provider id of the reference provider. */
    public static final String PROVIDER = "reference";
    public static final String TOKEN_PATH = "/oauth/token";
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 200;
    public static final int MAX_IDS = 100;
    public static final int MAX_BATCH = 50;
    public static final String TIMESTAMP_HEADER = "x-reference-timestamp";
    public static final String SIGNATURE_HEADER = "x-reference-signature";

    private final FakeRecordStore store;
    private final TokenAuthority tokens;
    private final Map<String, ReferenceEntity> entities = new ConcurrentHashMap<>();
    private final String clientId = "reference-client";
    private final String clientSecret = Ids.secureToken(24);
    private final String webhookSecret = Ids.secureToken(32);

    /** A server on {@code clock} whose access tokens live one hour. */
    public ReferenceProviderServer(Clock clock) {
        this(clock, Duration.ofHours(1));
    }

    public ReferenceProviderServer(Clock clock, Duration accessTokenLifetime) {
        super(clock);
        this.store = new FakeRecordStore(clock);
        this.tokens = new TokenAuthority(clock, accessTokenLifetime).registerClient(clientId, clientSecret);
        defineEntity(ReferenceEntity.contacts());
        requireBearerTokens(tokens);
        publicRoute("POST", TOKEN_PATH, tokens.handler());
        route("GET", "/v1/{entity}/changes", this::changes);
        route("GET", "/v1/{entity}/deleted", this::deleted);
        route("POST", "/v1/{entity}/batch", this::batch);
        route("PUT", "/v1/{entity}/by/{field}/{value}", r -> upsert(entity(r), r.pathVariable("field"), r.pathVariable("value"),
                fieldsOf(r.jsonBody(ReferenceProviderServer::malformed)), ifMatch(r), ifUnmodifiedSince(r)));
        route("GET", "/v1/{entity}", this::list);
        route("POST", "/v1/{entity}", r -> create(entity(r), fieldsOf(r.jsonBody(ReferenceProviderServer::malformed))));
        route("GET", "/v1/{entity}/{id}", this::getOne);
        route("PATCH", "/v1/{entity}/{id}", r -> update(entity(r), r.pathVariable("id"),
                fieldsOf(r.jsonBody(ReferenceProviderServer::malformed)), ifMatch(r), ifUnmodifiedSince(r)));
        route("DELETE", "/v1/{entity}/{id}", r -> delete(entity(r), r.pathVariable("id"), ifMatch(r), ifUnmodifiedSince(r)));
    }

    @Override
    public ReferenceProviderServer start() {
        super.start();
        return this;
    }

    /** Adds (or replaces) an entity. */
    public final ReferenceProviderServer defineEntity(ReferenceEntity entity) {
        entities.put(entity.name(), entity);
        return this;
    }

    /** The records behind the API; tests seed, change and inspect it directly. */
    public FakeRecordStore store() {
        return store;
    }

    /** The token endpoint's state; tests expire and revoke tokens through it. */
    public TokenAuthority tokens() {
        return tokens;
    }

    public String clientId() {
        return clientId;
    }

    /** The shared secret webhooks are signed with. */
    public String webhookSecret() {
        return webhookSecret;
    }

    /**
     * Connects an integration, as an OAuth consent would: a fresh refresh token plus the client
     * credentials and webhook secret, and no access token yet.
     */
    public Credentials connect() {
        String refreshToken = tokens.issueRefreshToken(clientId);
        return new Credentials(null, refreshToken, null, null, null, Map.of(
                "client_id", clientId, "client_secret", clientSecret, "webhook_secret", webhookSecret));
    }

    /** The settings an integration with this server needs ({@code baseUrl}). */
    public ProviderSettings settings() {
        return new ProviderSettings(PROVIDER, Map.of("baseUrl", baseUrl().toString()));
    }

    /** A signed delivery announcing these changes (live records carry their fields). */
    public WebhookDelivery webhookFor(List<StoredRecord> changes) {
        ArrayNode events = SyncJson.mapper().createArrayNode();
        for (StoredRecord r : changes) {
            ObjectNode e = events.addObject()
                    .put("entity", r.entity())
                    .put("record_id", r.id())
                    .put("change", r.deleted() ? "deleted" : "upserted")
                    .put("occurred_at", r.modifiedAt().toString());
            if (!r.deleted()) {
                e.set("record", recordJson(r, List.of()));
            }
        }
        ObjectNode body = SyncJson.object().put("type", "changes").put("delivery_id", "dlv-" + Ids.secureToken(9));
        body.set("events", events);
        return sign(SyncJson.writeBytes(body), clock().instant());
    }

    /** A signed subscription handshake carrying {@code challenge}. */
    public WebhookDelivery challenge(String challenge) {
        return sign(SyncJson.writeBytes(SyncJson.object().put("type", "challenge").put("challenge", challenge)), clock().instant());
    }

    /** Signs {@code body} as sent at {@code sentAt} (tests sign stale or tampered variants with it). */
    public WebhookDelivery sign(byte[] body, Instant sentAt) {
        String timestamp = Long.toString(sentAt.getEpochSecond());
        String signature = "v1=" + hmacHex(webhookSecret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        return new WebhookDelivery(Map.of("content-type", "application/json", TIMESTAMP_HEADER, timestamp, SIGNATURE_HEADER, signature), body);
    }

    @Override
    protected FakeResponse renderFault(Fault fault, FakeRequest request) {
        return switch (fault) {
            case Fault.RateLimited f -> error(429, "rate_limited", "too many requests", null)
                    .withHeader("retry-after", Integer.toString(f.retryAfterSeconds()));
            case Fault.ServiceUnavailable f -> {
                FakeResponse r = error(503, "unavailable", "the service is temporarily unavailable", null);
                yield f.retryAfterSeconds() > 0 ? r.withHeader("retry-after", Integer.toString(f.retryAfterSeconds())) : r;
            }
            default -> super.renderFault(fault, request);
        };
    }

    @Override
    protected FakeResponse unauthorized(FakeRequest request, TokenAuthority.AccessCheck check) {
        boolean expired = check == TokenAuthority.AccessCheck.EXPIRED;
        String description = expired ? "The access token expired" : "The access token is missing or invalid";
        return error(401, expired ? "token_expired" : "invalid_token", description, null)
                .withHeader("www-authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    @Override
    protected FakeResponse noRoute(FakeRequest request) {
        return error(404, "not_found", "no resource at " + request.path(), null);
    }

    // ---- reads ------------------------------------------------------------------------------

    private FakeResponse list(FakeRequest r) {
        ReferenceEntity entity = entity(r);
        List<String> fields = projection(entity, r);
        Optional<String> ids = r.queryParam("ids");
        if (ids.isPresent()) {
            return byIds(entity, ids.get(), fields);
        }
        Predicate<StoredRecord> filter = filters(entity, r);
        int limit = limit(r);
        Watermark after;
        long startVersion;
        Optional<String> cursor = r.queryParam("cursor");
        if (cursor.isPresent()) {
            String[] c = decodeCursor(cursor.get(), "L", 4);
            after = c[2].isEmpty() ? null : new Watermark(Instant.parse(c[2]), c[3]);
            startVersion = Long.parseLong(c[1]);
        } else {
            after = position(r);
            startVersion = store.version();
        }
        List<StoredRecord> page = new ArrayList<>();
        Watermark position = after;
        boolean more = false;
        // the filter runs over the store's (stamp, id) order, so keep reading until a page is full
        while (true) {
            FakeRecordStore.Slice slice = store.scan(entity.name(), position, 256, FakeRecordStore.Visibility.LIVE);
            for (StoredRecord rec : slice.records()) {
                if (!filter.test(rec)) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(rec);
            }
            if (more || !slice.hasMore()) {
                break;
            }
            position = slice.last();
        }
        ObjectNode body = SyncJson.object();
        ArrayNode records = body.putArray("records");
        page.forEach(rec -> records.add(recordJson(rec, fields)));
        if (more) {
            Watermark last = page.get(page.size() - 1).watermark();
            body.put("next_cursor", encodeCursor("L", Long.toString(startVersion), last.stamp().toString(), last.id()));
        } else {
            body.putNull("next_cursor");
            body.put("delta_token", encodeCursor("D", Long.toString(startVersion)));
        }
        return FakeResponse.json(200, body);
    }

    private FakeResponse byIds(ReferenceEntity entity, String idList, List<String> fields) {
        List<String> ids = List.of(idList.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (ids.size() > MAX_IDS) {
            throw rejected(400, "invalid_parameter", "at most " + MAX_IDS + " ids per request", "ids");
        }
        ObjectNode body = SyncJson.object();
        ArrayNode records = body.putArray("records");
        for (String id : ids) {
            store.get(entity.name(), id).ifPresent(rec -> records.add(recordJson(rec, fields)));
        }
        return FakeResponse.json(200, body);
    }

    private FakeResponse changes(FakeRequest r) {
        ReferenceEntity entity = entity(r);
        List<String> fields = projection(entity, r);
        int limit = limit(r);
        long after;
        Optional<String> cursor = r.queryParam("cursor");
        if (cursor.isPresent()) {
            after = Long.parseLong(decodeCursor(cursor.get(), "C", 2)[1]);
        } else {
            String token = r.queryParam("token").orElseThrow(() ->
                    rejected(400, "invalid_parameter", "token is required; start with a full list to obtain a delta_token", "token"));
            after = Long.parseLong(decodeCursor(token, "D", 2)[1]);
        }
        FakeRecordStore.Slice slice = store.changesAfter(entity.name(), after, limit);
        ObjectNode body = SyncJson.object();
        ArrayNode records = body.putArray("records");
        for (StoredRecord rec : slice.records()) {
            records.add(rec.deleted() ? tombstoneJson(rec, true) : recordJson(rec, fields));
        }
        if (slice.hasMore()) {
            body.put("next_cursor", encodeCursor("C", Long.toString(slice.records().get(slice.records().size() - 1).version())));
        } else {
            body.putNull("next_cursor");
            body.put("delta_token", encodeCursor("D", Long.toString(slice.storeVersion())));
        }
        return FakeResponse.json(200, body);
    }

    private FakeResponse deleted(FakeRequest r) {
        ReferenceEntity entity = entity(r);
        int limit = limit(r);
        Watermark after;
        Optional<String> cursor = r.queryParam("cursor");
        if (cursor.isPresent()) {
            String[] c = decodeCursor(cursor.get(), "X", 3);
            after = new Watermark(Instant.parse(c[1]), c[2]);
        } else {
            after = position(r);
            Optional<Instant> horizon = store.purgedBefore(entity.name());
            if (horizon.isPresent() && (after == null || after.stamp().isBefore(horizon.get()))) {
                throw rejected(400, "since_too_old", "deletions before " + horizon.get() + " were purged; do a full scan", "after");
            }
        }
        FakeRecordStore.Slice slice = store.scan(entity.name(), after, limit, FakeRecordStore.Visibility.DELETED);
        ObjectNode body = SyncJson.object();
        ArrayNode deleted = body.putArray("deleted");
        slice.records().forEach(rec -> deleted.add(tombstoneJson(rec, false)));
        if (slice.hasMore()) {
            Watermark last = slice.last();
            body.put("next_cursor", encodeCursor("X", last.stamp().toString(), last.id()));
        } else {
            body.putNull("next_cursor");
        }
        return FakeResponse.json(200, body);
    }

    private FakeResponse getOne(FakeRequest r) {
        ReferenceEntity entity = entity(r);
        String id = r.pathVariable("id");
        StoredRecord rec = store.get(entity.name(), id)
                .orElseThrow(() -> rejected(404, "not_found", entity.name() + " record '" + id + "' does not exist", null));
        return withEtag(200, rec, projection(entity, r));
    }

    // ---- writes -----------------------------------------------------------------------------

    private FakeResponse create(ReferenceEntity entity, ObjectNode fields) {
        validate(entity, fields, true, null);
        StoredRecord created = store.create(entity.name(), fields);
        return withEtag(201, created, List.of()).withHeader("location", "/v1/" + entity.name() + "/" + created.id());
    }

    private FakeResponse update(ReferenceEntity entity, String id, ObjectNode fields, String ifMatch, Instant ifUnmodifiedSince) {
        validate(entity, fields, false, id);
        try {
            StoredRecord updated = store.updateIf(entity.name(), id, fields, precondition(ifMatch, ifUnmodifiedSince));
            return withEtag(200, updated, List.of());
        } catch (FakeRecordStore.NoSuchRecord e) {
            throw rejected(404, "not_found", entity.name() + " record '" + id + "' does not exist", null);
        } catch (FakeRecordStore.PreconditionFailed e) {
            throw rejected(412, "precondition_failed", "the record changed; its etag is now " + e.current().etag(), null);
        }
    }

    private FakeResponse upsert(ReferenceEntity entity, String field, String value, ObjectNode fields, String ifMatch, Instant ifUnmodifiedSince) {
        if (!entity.unique().contains(field)) {
            throw rejected(400, "invalid_field", "'" + field + "' is not a unique field of " + entity.name() + " and cannot key an upsert", field);
        }
        // one lock for find-then-write, so two upserts of the same key cannot both create
        synchronized (store) {
            List<StoredRecord> existing = store.find(entity.name(), rec -> value.equals(text(rec, field)));
            if (existing.isEmpty()) {
                ObjectNode withKey = fields.deepCopy().put(field, value);
                return create(entity, withKey);
            }
            return update(entity, existing.get(0).id(), fields, ifMatch, ifUnmodifiedSince);
        }
    }

    private FakeResponse delete(ReferenceEntity entity, String id, String ifMatch, Instant ifUnmodifiedSince) {
        try {
            store.deleteIf(entity.name(), id, precondition(ifMatch, ifUnmodifiedSince));
            return FakeResponse.empty(204);
        } catch (FakeRecordStore.NoSuchRecord e) {
            throw rejected(404, "not_found", entity.name() + " record '" + id + "' does not exist", null);
        } catch (FakeRecordStore.PreconditionFailed e) {
            throw rejected(412, "precondition_failed", "the record changed; its etag is now " + e.current().etag(), null);
        }
    }

    private FakeResponse batch(FakeRequest r) {
        ReferenceEntity entity = entity(r);
        JsonNode operations = r.jsonBody(ReferenceProviderServer::malformed).path("operations");
        if (!operations.isArray() || operations.isEmpty()) {
            throw rejected(400, "invalid_request", "'operations' must be a non-empty array", "operations");
        }
        if (operations.size() > MAX_BATCH) {
            throw rejected(400, "invalid_request", "at most " + MAX_BATCH + " operations per batch", "operations");
        }
        ObjectNode body = SyncJson.object();
        ArrayNode results = body.putArray("results");
        for (JsonNode op : operations) {
            FakeResponse outcome;
            try {
                outcome = applyOperation(entity, op);
            } catch (RequestRejected rejected) {
                outcome = rejected.response();
            }
            ObjectNode result = results.addObject().put("status", outcome.status());
            if (outcome.status() == 204) {
                result.put("id", op.path("id").asText());
            } else if (outcome.body().length > 0) {
                JsonNode payload = SyncJson.tree(outcome.bodyText());
                result.set(outcome.status() < 300 ? "record" : "error", outcome.status() < 300 ? payload : payload.path("error"));
            }
        }
        return FakeResponse.json(200, body);
    }

    private FakeResponse applyOperation(ReferenceEntity entity, JsonNode op) {
        String kind = op.path("op").asText("");
        String ifMatch = op.hasNonNull("if_match") ? op.get("if_match").asText() : null;
        Instant unmodifiedSince = null;
        if (op.hasNonNull("if_unmodified_since")) {
            try {
                unmodifiedSince = Instant.parse(op.get("if_unmodified_since").asText());
            } catch (DateTimeParseException e) {
                throw rejected(400, "invalid_request", "if_unmodified_since must be an ISO-8601 instant", "if_unmodified_since");
            }
        }
        return switch (kind) {
            case "create" -> create(entity, fieldsOf(op));
            case "update" -> update(entity, requiredText(op, "id"), fieldsOf(op), ifMatch, unmodifiedSince);
            case "upsert" -> upsert(entity, requiredText(op, "match_field"), requiredText(op, "match_value"), fieldsOf(op), ifMatch, unmodifiedSince);
            case "delete" -> delete(entity, requiredText(op, "id"), ifMatch, unmodifiedSince);
            default -> throw rejected(400, "invalid_request", "op must be create, update, upsert or delete, got '" + kind + "'", "op");
        };
    }

    // ---- validation and parameters ----------------------------------------------------------

    private void validate(ReferenceEntity entity, ObjectNode fields, boolean creating, String selfId) {
        var names = fields.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            ReferenceEntity.Type type = entity.fields().get(name);
            if (type == null) {
                throw rejected(400, "invalid_field", "'" + name + "' is not a field of " + entity.name(), name);
            }
            JsonNode value = fields.get(name);
            if (value.isNull()) {
                if (entity.required().contains(name)) {
                    throw rejected(400, "required", "'" + name + "' is required and cannot be null", name);
                }
            } else if (!type.accepts(value)) {
                throw rejected(400, "invalid_value", "'" + name + "' must be a " + type.name().toLowerCase(java.util.Locale.ROOT)
                        + ", got " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT), name);
            }
        }
        if (creating) {
            for (String name : entity.required()) {
                if (!fields.hasNonNull(name)) {
                    throw rejected(400, "required", "'" + name + "' is required", name);
                }
            }
        }
        for (String name : entity.unique()) {
            JsonNode value = fields.get(name);
            if (value != null && !value.isNull()) {
                String text = value.asText();
                boolean taken = store.find(entity.name(), rec -> text.equals(text(rec, name)) && !rec.id().equals(selfId)).size() > 0;
                if (taken) {
                    throw rejected(400, "duplicate_value", "another " + entity.name() + " record already has this '" + name + "'", name);
                }
            }
        }
    }

    private ReferenceEntity entity(FakeRequest r) {
        String name = r.pathVariable("entity");
        ReferenceEntity entity = entities.get(name);
        if (entity == null) {
            throw rejected(404, "unknown_entity", "there is no entity '" + name + "'", null);
        }
        return entity;
    }

    private static List<String> projection(ReferenceEntity entity, FakeRequest r) {
        Optional<String> raw = r.queryParam("fields").filter(s -> !s.isBlank());
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> fields = List.of(raw.get().split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String f : fields) {
            if (!entity.fields().containsKey(f)) {
                throw rejected(400, "invalid_field", "'" + f + "' is not a field of " + entity.name(), f);
            }
        }
        return fields;
    }

    private static Predicate<StoredRecord> filters(ReferenceEntity entity, FakeRequest r) {
        Predicate<StoredRecord> all = rec -> true;
        for (Map.Entry<String, List<String>> q : r.query().entrySet()) {
            if (!q.getKey().startsWith("filter.")) {
                continue;
            }
            String field = q.getKey().substring("filter.".length());
            if (!entity.fields().containsKey(field)) {
                throw rejected(400, "invalid_field", "cannot filter on '" + field + "': not a field of " + entity.name(), field);
            }
            String expected = q.getValue().get(0);
            all = all.and(rec -> expected.equals(text(rec, field)));
        }
        return all;
    }

    private static int limit(FakeRequest r) {
        Optional<String> raw = r.queryParam("limit");
        if (raw.isEmpty()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int limit = Integer.parseInt(raw.get());
            if (limit < 1) {
                throw rejected(400, "invalid_parameter", "limit must be at least 1", "limit");
            }
            return Math.min(limit, MAX_PAGE_SIZE);
        } catch (NumberFormatException e) {
            throw rejected(400, "invalid_parameter", "limit must be an integer", "limit");
        }
    }

    private static Watermark position(FakeRequest r) {
        Optional<String> after = r.queryParam("after");
        Optional<String> afterId = r.queryParam("after_id");
        if (after.isEmpty() && afterId.isEmpty()) {
            return null;
        }
        if (after.isEmpty() || afterId.isEmpty()) {
            String missing = after.isEmpty() ? "after" : "after_id";
            throw rejected(400, "invalid_parameter", "after and after_id go together; " + missing + " is missing", missing);
        }
        try {
            return new Watermark(Instant.parse(after.get()), afterId.get());
        } catch (DateTimeParseException e) {
            throw rejected(400, "invalid_parameter", "after must be an ISO-8601 instant such as 2024-01-01T00:00:00Z", "after");
        }
    }

    private static String ifMatch(FakeRequest r) {
        return r.header("if-match").orElse(null);
    }

    private static Instant ifUnmodifiedSince(FakeRequest r) {
        Optional<String> raw = r.header("if-unmodified-since");
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(raw.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null; // RFC 9110 §13.1.4: an invalid date makes the precondition ignored
        }
    }

    private static Predicate<StoredRecord> precondition(String ifMatch, Instant ifUnmodifiedSince) {
        Predicate<StoredRecord> p = rec -> true;
        if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.trim().equals("*")) {
            List<String> tags = List.of(ifMatch.split(",")).stream().map(String::trim).toList();
            p = p.and(rec -> tags.contains(rec.etag()));
        }
        if (ifUnmodifiedSince != null) {
            p = p.and(rec -> !rec.modifiedAt().truncatedTo(ChronoUnit.SECONDS).isAfter(ifUnmodifiedSince));
        }
        return p;
    }

    private static ObjectNode fieldsOf(JsonNode body) {
        JsonNode fields = body.path("fields");
        if (!fields.isObject()) {
            throw rejected(400, "invalid_request", "'fields' must be a JSON object", "fields");
        }
        return (ObjectNode) fields;
    }

    private static String requiredText(JsonNode op, String name) {
        JsonNode v = op.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw rejected(400, "invalid_request", "'" + name + "' is required for this operation", name);
        }
        return v.asText();
    }

    // ---- rendering --------------------------------------------------------------------------

    private static ObjectNode recordJson(StoredRecord rec, List<String> projection) {
        ObjectNode json = SyncJson.object()
                .put("id", rec.id())
                .put("modified_at", rec.modifiedAt().toString())
                .put("etag", rec.etag());
        ObjectNode fields = rec.fields();
        if (!projection.isEmpty()) {
            fields.retain(projection);
        }
        json.set("fields", fields);
        return json;
    }

    private static ObjectNode tombstoneJson(StoredRecord rec, boolean flagged) {
        ObjectNode json = SyncJson.object().put("id", rec.id());
        if (flagged) {
            json.put("deleted", true);
        }
        return json.put("deleted_at", rec.modifiedAt().toString());
    }

    private static FakeResponse withEtag(int status, StoredRecord rec, List<String> projection) {
        return FakeResponse.json(status, recordJson(rec, projection)).withHeader("etag", rec.etag());
    }

    private static FakeResponse error(int status, String code, String message, String field) {
        ObjectNode error = SyncJson.object().put("code", code).put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        ObjectNode body = SyncJson.object();
        body.set("error", error);
        return FakeResponse.json(status, body);
    }

    private static RequestRejected rejected(int status, String code, String message, String field) {
        return new RequestRejected(error(status, code, message, field));
    }

    private static FakeResponse malformed(String reason) {
        return error(400, "invalid_json", reason, null);
    }

    private static String text(StoredRecord rec, String field) {
        JsonNode v = rec.fields().get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String encodeCursor(String... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeCursor(String cursor, String kind, int parts) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
            if (p.length != parts || !p[0].equals(kind)) {
                throw new IllegalArgumentException("wrong kind");
            }
            if (kind.equals("L") || kind.equals("C") || kind.equals("D")) {
                Long.parseLong(p[1]);
            }
            if (kind.equals("L") && !p[2].isEmpty()) {
                Instant.parse(p[2]);
            }
            if (kind.equals("X")) {
                Instant.parse(p[1]);
            }
            return p;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw rejected(400, "invalid_cursor", "the cursor or token is not one this endpoint issued", "cursor");
        }
    }

    private static String hmacHex(String secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
