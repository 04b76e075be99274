package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.testkit.fake.FakeHandler;
import com.castiel.sync.testkit.fake.FakeProviderServer;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.FakeRequest;
import com.castiel.sync.testkit.fake.FakeResponse;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestJournal;
import com.castiel.sync.testkit.fake.RequestRejected;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.fake.TokenAuthority;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful fake Salesforce org on {@code 127.0.0.1}: the REST API subset the Salesforce adapter
 * uses, with Salesforce's response shapes, error bodies and limits, built on the test kit's
 * {@link FakeProviderServer} (so its {@link #faults() fault plan} and {@link #journal() request
 * journal} apply to every route).
 *
 * <p><b>Endpoints</b> ({@code {v}} is an API version {@code v29.0}…{@code v66.0}):
 * <ul>
 *   <li>{@code POST /services/oauth2/token} — refresh-token (optionally rotating),
 *       client-credentials and JWT-bearer grants; no {@code expires_in} ({@link SalesforceTokenEndpoint});</li>
 *   <li>{@code GET /services/data} — the version list;</li>
 *   <li>{@code GET /services/data/{v}/query?q=} and {@code /queryAll?q=}, {@code GET …/query/{locator}-{offset}}
 *       — SOQL of the subset in {@link SoqlParser}, server-side cursors ({@link QueryEngine});</li>
 *   <li>{@code GET …/sobjects/{type}/deleted/?start=&end=} — the delete log (15 days, minute
 *       granularity, {@code EXCEEDED_ID_LIMIT}, {@code INVALID_REPLICATION_DATE});</li>
 *   <li>{@code POST …/sobjects/{type}}, {@code GET|PATCH|DELETE …/sobjects/{type}/{id}} (PATCH honours
 *       {@code If-Unmodified-Since} → 412), {@code PATCH …/sobjects/{type}/{extIdField}/{value}}
 *       (201 created, 200 updated, 300 several matches);</li>
 *   <li>{@code POST|PATCH|DELETE …/composite/sobjects} and {@code PATCH …/composite/sobjects/{type}/{extIdField}}
 *       — sObject Collections, up to 200 records, per-record results, {@code allOrNone};</li>
 *   <li>{@code POST …/composite} — up to 25 subrequests, at most 5 of them sObject Collections,
 *       run in order with their {@code httpHeaders} and {@code @{ref.field}} references to earlier
 *       answers, each answered with its own status and body; the fake runs sObject and sObject
 *       Collections subrequests with {@code allOrNone=false} ({@link #compositeSubrequests()}
 *       journals them).</li>
 * </ul>
 * Every {@code /services/data/{v}} answer carries {@code Sforce-Limit-Info: api-usage=N/M}; past
 * the daily limit or the per-second cap ({@link #rateLimitPerSecond}) calls are refused with 403
 * {@code REQUEST_LIMIT_EXCEEDED} and no {@code Retry-After}. Expired or unknown tokens get 401
 * {@code [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]}.
 *
 * <p><b>Data.</b> Types {@code User}, {@code Account} and {@code Contact} ({@link SObjectType});
 * more with {@link #defineSObject}. {@code SystemModstamp} has whole-second precision, so records
 * changed in the same second share a stamp and are ordered by {@code Id}. Deleted records stay in
 * the Recycle Bin ({@code queryAll}) until {@link #emptyRecycleBin}, and in the delete log
 * ({@code deleted}) until {@link #purgeDeleteLog}.
 *
 * <p><b>Outbound Messages.</b> {@link #outboundMessage}, {@link #sendOutboundMessage} and
 * change rules ({@link #sendOutboundMessagesOnChange} + {@link #deliverOutboundMessages}) build
 * and send SOAP notifications like workflow outbound messages ({@link OutboundMessenger}).
 *
 * <p><b>Deviations</b>, documented so tests do not rely on them: access tokens expire a fixed
 * {@link #SESSION_TIMEOUT} after issue rather than after inactivity; the per-second cap stands in
 * for Salesforce's concurrent-request limit; {@code If-Match} and other conditional headers are
 * not modelled; the 412 body shape ({@code PRECONDITION_FAILED}) is not documented by Salesforce;
 * with {@code allOrNone} each record is checked against the stored data but not against the
 * other records of the same request.
 *
 * <p>Start with {@link #start()}, stop with {@link #close()}. Thread-safe.
 */
public final class FakeSalesforce extends FakeProviderServer {

    /** The API version the adapter uses by default. */
    public static final String API_VERSION = "v62.0";
    /** How long an access token stays valid (Salesforce's default session timeout). */
    public static final Duration SESSION_TIMEOUT = Duration.ofHours(2);
    /** The connected app every fake org has. */
    public static final String CLIENT_ID = "3MVG9fakeConnectedAppConsumerKey";
    /** The connected app's consumer secret. */
    public static final String CLIENT_SECRET = "fake-consumer-secret-0123456789";

    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.0");
    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize\\s*=\\s*(\\d+)");
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)\\.([A-Za-z0-9_.]+)}");
    private static final int MAX_COLLECTION = 200;

    private final SObjectStore store;
    private final SObjectWrites writes;
    private final QueryEngine queries;
    private final ApiLimits limits;
    private final TokenAuthority authority;
    private final SalesforceTokenEndpoint tokenEndpoint;
    private final OutboundMessenger outbound;
    private final String orgId = SalesforceIds.issue("00D", 1);
    private final String userId = SalesforceIds.issue("005", 1);
    private final RequestJournal subrequests = new RequestJournal();
    private volatile boolean restSessionsRejected;
    private volatile int deletedIdLimit = 600_000;

    /** A fake org with the standard types, the default connected app, and no data. */
    public FakeSalesforce(Clock clock) {
        super(clock);
        this.store = new SObjectStore(clock);
        store.define(SObjectType.user());
        store.define(SObjectType.account());
        store.define(SObjectType.contact());
        this.writes = new SObjectWrites(store);
        this.queries = new QueryEngine(store, clock);
        this.limits = new ApiLimits(clock);
        this.authority = new TokenAuthority(clock, SESSION_TIMEOUT);
        this.tokenEndpoint = new SalesforceTokenEndpoint(authority, clock, this::baseUrl, orgId, userId);
        tokenEndpoint.registerClient(CLIENT_ID, CLIENT_SECRET);
        this.outbound = new OutboundMessenger(store, orgId, this::baseUrl, API_VERSION);
        store.records().addListener(outbound::changed);
        requireBearerTokens(authority);

        publicRoute("POST", "/services/oauth2/token", tokenEndpoint::handle);
        publicRoute("GET", "/services/data", r -> versions());
        rest("GET", "/services/data/{version}/query", this::query);
        rest("GET", "/services/data/{version}/query/{locator}", r -> json(200, queries.more(r.pathVariable("locator"), version(r))));
        rest("GET", "/services/data/{version}/queryAll", this::query);
        rest("GET", "/services/data/{version}/queryAll/{locator}", r -> json(200, queries.more(r.pathVariable("locator"), version(r))));
        rest("GET", "/services/data/{version}/sobjects/{type}/deleted", this::deleted);
        rest("POST", "/services/data/{version}/sobjects/{type}", this::create);
        rest("GET", "/services/data/{version}/sobjects/{type}/{id}", this::read);
        rest("PATCH", "/services/data/{version}/sobjects/{type}/{id}", this::update);
        rest("DELETE", "/services/data/{version}/sobjects/{type}/{id}", this::delete);
        rest("PATCH", "/services/data/{version}/sobjects/{type}/{field}/{value}", this::upsert);
        rest("POST", "/services/data/{version}/composite/sobjects", this::collectionCreate);
        rest("PATCH", "/services/data/{version}/composite/sobjects", this::collectionUpdate);
        rest("DELETE", "/services/data/{version}/composite/sobjects", this::collectionDelete);
        rest("PATCH", "/services/data/{version}/composite/sobjects/{type}/{field}", this::collectionUpsert);
        rest("POST", "/services/data/{version}/composite", this::composite);
    }

    @Override
    public FakeSalesforce start() {
        super.start();
        return this;
    }

    // ---------------------------------------------------------------- identity and auth

    /** The org id (18 characters), as Outbound Messages and the identity URL carry it. */
    public String orgId() {
        return orgId;
    }

    /** The id of the user every token acts as. */
    public String userId() {
        return userId;
    }

    /** The login URL ({@code loginUrl} setting): the token endpoint lives under it. */
    public URI loginUrl() {
        return baseUrl();
    }

    /** The instance URL token responses return as {@code instance_url}. */
    public URI instanceUrl() {
        return baseUrl();
    }

    /** Registers another connected app (consumer key and secret). */
    public FakeSalesforce registerConnectedApp(String clientId, String clientSecret) {
        tokenEndpoint.registerClient(clientId, clientSecret);
        return this;
    }

    /**
     * Lets {@code clientId} use the JWT-bearer flow: assertions must be signed with the private
     * key of {@code key} and name {@code username} as subject (a pre-approved user).
     */
    public FakeSalesforce registerJwtSigner(String clientId, PublicKey key, String username) {
        tokenEndpoint.registerJwtClient(clientId, key, username);
        return this;
    }

    /** A refresh token of the default connected app, as the web-server flow would have issued. */
    public String issueRefreshToken() {
        return authority.issueRefreshToken(CLIENT_ID);
    }

    /** When on, every refresh returns a new refresh token and retires the old one. */
    public FakeSalesforce rotateRefreshTokens(boolean rotate) {
        authority.rotateRefreshTokens(rotate);
        return this;
    }

    /** Makes every access token issued so far expired: the next API call answers 401. */
    public void expireAllTokens() {
        authority.expireAllAccessTokens();
    }

    /** Revokes every refresh token: the next refresh answers {@code invalid_grant}. */
    public void revokeRefreshTokens() {
        authority.revokeAllRefreshTokens();
    }

    /**
     * When on, every API call answers 401 {@code INVALID_SESSION_ID} "This session is not valid
     * for use with the REST API" — a session of the wrong kind, which refreshing cannot fix.
     */
    public FakeSalesforce rejectSessionsForRestApi(boolean reject) {
        this.restSessionsRejected = reject;
        return this;
    }

    /** Successful token grants so far, of every flow. */
    public int tokenGrants() {
        return authority.grantsIssued() + tokenEndpoint.jwtGrants();
    }

    /** The authority judging tokens, for finer control. */
    public TokenAuthority tokens() {
        return authority;
    }

    /**
     * The subrequests of composite calls the fake ran, as the journal records requests (method,
     * path, query, headers; the outer call is in {@link #journal()}).
     */
    public RequestJournal compositeSubrequests() {
        return subrequests;
    }

    // ---------------------------------------------------------------- limits and cursors

    /** Refuses API calls beyond {@code perSecond} in any second with 403 {@code REQUEST_LIMIT_EXCEEDED}; 0 turns it off. */
    public FakeSalesforce rateLimitPerSecond(int perSecond) {
        limits.perSecond(perSecond);
        return this;
    }

    /** The org's daily API allocation (100,000 by default), reported in {@code Sforce-Limit-Info}. */
    public FakeSalesforce dailyApiLimit(long limit) {
        limits.dailyLimit(limit);
        return this;
    }

    /** API calls counted in the last 24 hours. */
    public long apiRequestsToday() {
        return limits.used();
    }

    /** Invalidates every open query locator: the next {@code nextRecordsUrl} answers {@code INVALID_QUERY_LOCATOR}. */
    public void expireQueryLocators() {
        queries.expireAll();
    }

    /** The most query cursors open at once (10 by default); opening more drops the least recently used. */
    public FakeSalesforce maxOpenQueryCursors(int max) {
        queries.maxOpenCursors(max);
        return this;
    }

    /** How long an unused query locator lives (15 minutes by default). */
    public FakeSalesforce queryLocatorIdleTimeout(Duration timeout) {
        queries.idleTimeout(timeout);
        return this;
    }

    /** Query cursors currently open. */
    public int openQueryCursors() {
        return queries.openCursors();
    }

    /** The most ids one {@code deleted} call returns before answering {@code EXCEEDED_ID_LIMIT} (600,000 by default). */
    public FakeSalesforce deletedIdLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.deletedIdLimit = limit;
        return this;
    }

    // ---------------------------------------------------------------- data

    /** Adds (or replaces) an sObject type. */
    public FakeSalesforce defineSObject(SObjectType type) {
        store.define(type);
        return this;
    }

    /**
     * Seeds {@value SeedData#USERS} owners, {@code n} Accounts and {@code n} Contacts (each linked
     * to an Account), deterministically from {@code seed}. For large {@code n} (the benchmarks use
     * up to 1,000,000) budget about 1.5 KB of heap per record.
     */
    public SeedSummary seedAccountsAndContacts(int n, long seed) {
        return SeedData.seed(store, n, seed);
    }

    /**
     * Creates a record as an API client would, with the same checks.
     *
     * @return its 18-character id
     * @throws IllegalArgumentException naming the Salesforce error when the fields are refused
     */
    public String create(String type, ObjectNode fields) {
        return apply(() -> writes.create(requireType(type), fields)).id();
    }

    /** Updates a record as an API client would. */
    public void update(String type, String id, ObjectNode fields) {
        apply(() -> writes.update(requireType(type), normalised(id), fields, r -> true));
    }

    /** Deletes a record (it moves to the Recycle Bin and the delete log). */
    public void delete(String type, String id) {
        apply(() -> writes.delete(requireType(type), normalised(id)));
    }

    /** A live record as the REST API would return it ({@code attributes}, every field), if it exists. */
    public Optional<ObjectNode> record(String type, String id) {
        SObjectType t = requireType(type);
        return SalesforceIds.normalise(id).flatMap(i -> store.live(t, i)).map(r -> recordJson(t, r, null, API_VERSION));
    }

    /** Live records of a type. */
    public int count(String type) {
        return store.records().count(requireType(type).name());
    }

    /** Ids of the live records of a type, in (SystemModstamp, Id) order. */
    public List<String> ids(String type) {
        SObjectType t = requireType(type);
        List<String> out = new ArrayList<>();
        com.castiel.sync.model.Watermark after = null;
        while (true) {
            FakeRecordStore.Slice s = store.records().scan(t.name(), after, 4096, FakeRecordStore.Visibility.LIVE);
            s.records().forEach(r -> out.add(r.id()));
            if (!s.hasMore()) {
                return out;
            }
            after = s.last();
        }
    }

    /** Empties the Recycle Bin of a type: its deleted records vanish from {@code queryAll} but stay in the delete log. */
    public void emptyRecycleBin(String type) {
        store.emptyRecycleBin(requireType(type));
    }

    /** Purges the delete log of a type before {@code before}; {@code deleted} then reports it as {@code earliestDateAvailable}. */
    public int purgeDeleteLog(String type, Instant before) {
        return store.purgeDeleteLog(requireType(type), before);
    }

    // ---------------------------------------------------------------- outbound messages

    /**
     * An Outbound Message for records of one type with the given fields (values read now). The
     * server must be started: messages carry its URLs.
     */
    public WebhookDelivery outboundMessage(String type, List<String> ids, List<String> fields) {
        SObjectType t = requireType(type);
        return outbound.message(outbound.notifications(t, ids.stream().map(this::normalised).toList(), fieldsOf(t, fields)));
    }

    /** Sends an Outbound Message to a listener and reports whether it was acknowledged. */
    public OutboundResult sendOutboundMessage(URI endpoint, String type, List<String> ids, List<String> fields) {
        WebhookDelivery message = outboundMessage(type, ids, fields);
        return OutboundMessenger.send(endpoint, message, ids.size(), Duration.ofSeconds(60));
    }

    /** From now on, every change of a {@code type} record queues an Outbound Message notification with {@code fields}. */
    public FakeSalesforce sendOutboundMessagesOnChange(String type, List<String> fields) {
        SObjectType t = requireType(type);
        outbound.onChangeOf(t, fieldsOf(t, fields));
        return this;
    }

    /** Notifications queued by change rules and not yet acknowledged. */
    public int pendingOutboundNotifications() {
        return outbound.pending();
    }

    /** Sends the queued notifications (100 per message); unacknowledged ones stay queued for a retry. */
    public OutboundResult deliverOutboundMessages(URI endpoint) {
        return outbound.deliverPending(endpoint, Duration.ofSeconds(60));
    }

    // ---------------------------------------------------------------- error rendering

    @Override
    protected FakeResponse renderFault(Fault fault, FakeRequest request) {
        return switch (fault) {
            case Fault.RateLimited f -> {
                // Salesforce sends no Retry-After; a scripted delay is still passed on so tests can steer the backoff
                FakeResponse r = new SalesforceError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").response();
                yield f.retryAfterSeconds() > 0 ? r.withHeader("retry-after", Integer.toString(f.retryAfterSeconds())) : r;
            }
            case Fault.ServiceUnavailable f -> {
                FakeResponse r = new SalesforceError(503, "SERVER_UNAVAILABLE",
                        "The server is temporarily unable to service your request due to maintenance downtime or capacity problems.")
                        .response();
                yield f.retryAfterSeconds() > 0 ? r.withHeader("retry-after", Integer.toString(f.retryAfterSeconds())) : r;
            }
            default -> super.renderFault(fault, request);
        };
    }

    @Override
    protected FakeResponse unauthorized(FakeRequest request, TokenAuthority.AccessCheck check) {
        return new SalesforceError(401, "INVALID_SESSION_ID", "Session expired or invalid").response()
                .withHeader("www-authenticate", "Token");
    }

    @Override
    protected FakeResponse noRoute(FakeRequest request) {
        return SalesforceError.notFound().response();
    }

    @Override
    protected FakeResponse methodNotAllowed(FakeRequest request, Set<String> allowed) {
        return new SalesforceError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + request.method() + "' not allowed. Allowed are "
                + String.join(",", allowed)).response().withHeader("allow", String.join(", ", allowed));
    }

    @Override
    protected FakeResponse internalError(FakeRequest request, RuntimeException failure) {
        return new SalesforceError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you "
                + "contact support: fake-" + failure.getClass().getSimpleName()).response();
    }

    // ---------------------------------------------------------------- routes

    /** A REST API route: session kind, version check, limits, Salesforce error bodies. */
    private void rest(String method, String pattern, FakeHandler handler) {
        route(method, pattern, request -> {
            if (restSessionsRejected) {
                return new SalesforceError(401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API").response();
            }
            Matcher v = VERSION.matcher(request.pathVariable("version"));
            if (!v.matches() || Integer.parseInt(v.group(1)) < 29 || Integer.parseInt(v.group(1)) > 66) {
                return SalesforceError.notFound().response();
            }
            ApiLimits.Refusal refusal = limits.admit();
            if (refusal != null) {
                String message = refusal == ApiLimits.Refusal.DAILY ? "TotalRequests Limit exceeded." : "ConcurrentRequests Limit exceeded.";
                return new SalesforceError(403, "REQUEST_LIMIT_EXCEEDED", message).response();
            }
            try {
                return handler.handle(request);
            } catch (SalesforceError e) {
                return e.response();
            } catch (RequestRejected e) {
                return e.response();
            }
        });
    }

    /** Every REST API answer but the version list carries {@code Sforce-Limit-Info}, errors and faults included. */
    @Override
    protected FakeResponse finish(FakeRequest request, FakeResponse response) {
        if (request.path().startsWith("/services/data/") && response.header("sforce-limit-info").isEmpty()) {
            return response.withHeader("sforce-limit-info", limits.header());
        }
        return response;
    }

    private FakeResponse versions() {
        ArrayNode list = SyncJson.mapper().createArrayNode();
        for (int major = 58; major <= 66; major++) {
            list.addObject().put("label", "API " + major + ".0").put("url", "/services/data/v" + major + ".0").put("version", major + ".0");
        }
        return FakeResponse.json(200, list);
    }

    private FakeResponse query(FakeRequest request) {
        String soql = request.queryParam("q").orElseThrow(() -> SalesforceError.malformedQuery("the q parameter is required"));
        Integer batch = request.header("sforce-query-options").map(BATCH_SIZE::matcher).filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1))).orElse(null);
        boolean all = request.path().endsWith("/queryAll");
        return json(200, queries.start(soql, all, batch, version(request)));
    }

    private FakeResponse deleted(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        Instant now = clock().instant();
        Instant start = replicationDate(request, "start").truncatedTo(ChronoUnit.MINUTES);
        Instant end = replicationDate(request, "end");
        Instant covered = (end.isAfter(now) ? now : end).truncatedTo(ChronoUnit.MINUTES);
        Instant windowStart = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(15));
        if (start.isBefore(windowStart)) {
            throw new SalesforceError(400, "INVALID_REPLICATION_DATE", "startDate must be within 15 days of today: the earliest "
                    + "allowed is " + SalesforceTime.json(windowStart));
        }
        if (!covered.isAfter(start.plus(Duration.ofMinutes(1)))) {
            throw new SalesforceError(400, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate by more "
                    + "than one minute");
        }
        Instant earliest = store.records().purgedBefore(type.name()).filter(p -> p.isAfter(windowStart)).orElse(windowStart);
        List<StoredRecord> deleted = new ArrayList<>();
        com.castiel.sync.model.Watermark after = new com.castiel.sync.model.Watermark(start, "");
        outer:
        while (true) {
            FakeRecordStore.Slice slice = store.records().scan(type.name(), after, 4096, FakeRecordStore.Visibility.DELETED);
            for (StoredRecord r : slice.records()) {
                if (!r.modifiedAt().isBefore(covered)) {
                    break outer;
                }
                deleted.add(r);
                if (deleted.size() > deletedIdLimit) {
                    throw new SalesforceError(400, "EXCEEDED_ID_LIMIT", "More than " + deletedIdLimit
                            + " ids would be returned; choose start and end dates that are closer together");
                }
            }
            if (!slice.hasMore()) {
                break;
            }
            after = slice.last();
        }
        ObjectNode body = SyncJson.object();
        ArrayNode items = body.putArray("deletedRecords");
        for (StoredRecord r : deleted) {
            items.addObject().put("id", r.id()).put("deletedDate", SalesforceTime.json(r.modifiedAt()));
        }
        body.put("earliestDateAvailable", SalesforceTime.json(earliest));
        body.put("latestDateCovered", SalesforceTime.json(covered));
        return FakeResponse.json(200, body);
    }

    private FakeResponse create(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        StoredRecord created = writes.create(type, request.jsonBody(this::malformedBody));
        ObjectNode body = SyncJson.object().put("id", created.id());
        body.putArray("errors");
        body.put("success", true);
        return FakeResponse.json(201, body).withHeader("location", "/services/data/" + version(request) + "/sobjects/"
                + type.name() + "/" + created.id());
    }

    private FakeResponse read(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        String id = pathId(request, type);
        StoredRecord r = store.requireLive(type, id);
        List<SObjectField> fields = request.queryParam("fields")
                .map(list -> fieldsOf(type, List.of(list.split("\\s*,\\s*")))).orElse(null);
        return FakeResponse.json(200, recordJson(type, r, fields, version(request)))
                .withHeader("last-modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(r.modifiedAt().atOffset(ZoneOffset.UTC)));
    }

    private FakeResponse update(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        String id = pathId(request, type);
        Predicate<StoredRecord> precondition = unmodifiedSince(request);
        writes.update(type, id, request.jsonBody(this::malformedBody), precondition);
        return FakeResponse.empty(204);
    }

    private FakeResponse delete(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        writes.delete(type, pathId(request, type));
        return FakeResponse.empty(204);
    }

    private FakeResponse upsert(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        SObjectWrites.UpsertOutcome outcome = writes.upsert(type, request.pathVariable("field"), request.pathVariable("value"),
                request.jsonBody(this::malformedBody));
        String version = version(request);
        if (!outcome.matches().isEmpty()) {
            ArrayNode urls = SyncJson.mapper().createArrayNode();
            outcome.matches().forEach(id -> urls.add("/services/data/" + version + "/sobjects/" + type.name() + "/" + id));
            return FakeResponse.json(300, urls);
        }
        if (!outcome.created() && majorVersion(version) < 46) {
            return FakeResponse.empty(204);
        }
        ObjectNode body = SyncJson.object().put("id", outcome.id()).put("success", true);
        body.putArray("errors");
        body.put("created", outcome.created());
        return FakeResponse.json(outcome.created() ? 201 : 200, body);
    }

    private FakeResponse collectionCreate(FakeRequest request) {
        CollectionRequest c = collectionRequest(request);
        return collection(c, (type, record) -> {
            if (record.hasNonNull("id") || record.hasNonNull("Id")) {
                throw new SalesforceError(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", List.of("Id"));
            }
            return () -> {
                StoredRecord r = writes.create(type, record);
                return SyncJson.object().put("id", r.id());
            };
        }, (type, record) -> writes.validate(type, record, true, null));
    }

    private FakeResponse collectionUpdate(FakeRequest request) {
        CollectionRequest c = collectionRequest(request);
        return collection(c, (type, record) -> {
            String id = recordId(record);
            ObjectNode fields = record.deepCopy();
            fields.remove("id");
            fields.remove("Id");
            return () -> {
                writes.update(type, requireLiveForCollection(type, id), fields, r -> true);
                return SyncJson.object().put("id", id);
            };
        }, (type, record) -> {
            String id = recordId(record);
            requireLiveForCollection(type, id);
            ObjectNode fields = record.deepCopy();
            fields.remove("id");
            fields.remove("Id");
            store.checkUnique(type, id, writes.validate(type, fields, false, null));
        });
    }

    private FakeResponse collectionDelete(FakeRequest request) {
        String raw = request.queryParam("ids").orElse("");
        boolean allOrNone = request.queryParam("allOrNone").map(Boolean::parseBoolean).orElse(false);
        List<String> ids = raw.isBlank() ? List.of() : List.of(raw.split(","));
        if (ids.isEmpty()) {
            throw new SalesforceError(400, "MISSING_ARGUMENT", "ids parameter is required");
        }
        if (ids.size() > MAX_COLLECTION) {
            throw tooMany();
        }
        List<ObjectNode> items = new ArrayList<>();
        synchronized (store) {
            List<SalesforceError> problems = new ArrayList<>();
            List<SObjectType> types = new ArrayList<>();
            List<String> normalisedIds = new ArrayList<>();
            for (String rawId : ids) {
                String id = SalesforceIds.normalise(rawId.trim()).orElse(null);
                SObjectType type = id == null ? null : store.typeOfId(id).orElse(null);
                SalesforceError problem = null;
                if (id == null || type == null) {
                    problem = new SalesforceError(400, "MALFORMED_ID", "malformed id " + rawId.trim(), List.of());
                } else {
                    try {
                        requireLiveForCollection(type, id);
                    } catch (SalesforceError e) {
                        problem = e;
                    }
                }
                problems.add(problem);
                types.add(type);
                normalisedIds.add(id == null ? rawId.trim() : id);
            }
            boolean anyFailed = problems.stream().anyMatch(java.util.Objects::nonNull);
            for (int i = 0; i < ids.size(); i++) {
                ObjectNode item = SyncJson.object().put("id", normalisedIds.get(i));
                SalesforceError problem = problems.get(i);
                if (problem == null && allOrNone && anyFailed) {
                    problem = rolledBack();
                }
                if (problem == null) {
                    writes.delete(types.get(i), normalisedIds.get(i));
                    item.put("success", true);
                    item.putArray("errors");
                } else {
                    item.put("success", false);
                    item.putArray("errors").add(problem.collectionItem());
                }
                items.add(item);
            }
        }
        return collectionResponse(items);
    }

    private FakeResponse collectionUpsert(FakeRequest request) {
        SObjectType type = requireTypeOf(request);
        String fieldName = request.pathVariable("field");
        SObjectField field = type.writableField(fieldName).filter(SObjectField::externalId)
                .orElseThrow(() -> new SalesforceError(400, "INVALID_FIELD", "Field name provided, " + fieldName
                        + " is not an External ID or indexed field for " + type.name()));
        CollectionRequest c = collectionRequest(request);
        return collection(c, (t, record) -> {
            if (!t.name().equals(type.name())) {
                throw new SalesforceError(400, "INVALID_TYPE", "All records must be of type " + type.name());
            }
            JsonNode value = record.get(field.name());
            if (value == null || value.isNull() || value.asText().isBlank()) {
                throw new SalesforceError(400, "MISSING_ARGUMENT", field.name() + " not specified", List.of(field.name()));
            }
            List<String> matches = store.findByExternalId(type, field, value.asText());
            if (matches.size() > 1) {
                throw new SalesforceError(300, "DUPLICATE_EXTERNAL_ID", type.name() + ": more than one record found for external "
                        + "id field: " + matches, List.of(field.name()));
            }
            return () -> {
                SObjectWrites.UpsertOutcome o = writes.upsert(type, field.name(), value.asText(), record);
                return SyncJson.object().put("id", o.id()).put("created", o.created());
            };
        }, (t, record) -> {
            JsonNode value = record.get(field.name());
            List<String> matches = store.findByExternalId(type, field, value.asText());
            ObjectNode fields = writes.validate(type, record, matches.isEmpty(), field);
            store.checkUnique(type, matches.isEmpty() ? null : matches.get(0), fields);
        });
    }

    private FakeResponse composite(FakeRequest request) {
        JsonNode body = request.jsonBody(this::malformedBody);
        if (body.path("allOrNone").asBoolean(false)) {
            throw new SalesforceError(400, "UNSUPPORTED_BY_FAKE", "the fake Salesforce runs composite requests with allOrNone=false only");
        }
        JsonNode subrequests = body.get("compositeRequest");
        if (subrequests == null || !subrequests.isArray() || subrequests.isEmpty()) {
            throw new SalesforceError(400, "JSON_PARSER_ERROR", "compositeRequest is required and must be a non-empty array");
        }
        if (subrequests.size() > 25) {
            throw new SalesforceError(400, "INVALID_INPUT", "You can have up to 25 subrequests in a composite request");
        }
        int collections = 0;
        Set<String> references = new TreeSet<>();
        for (JsonNode sub : subrequests) {
            String referenceId = sub.path("referenceId").asText("");
            if (referenceId.isBlank() || !references.add(referenceId)) {
                throw new SalesforceError(400, "INVALID_INPUT", "every subrequest needs a unique referenceId; got '" + referenceId + "'");
            }
            if (sub.path("url").asText("").contains("/composite/sobjects") && ++collections > 5) {
                throw new SalesforceError(400, "INVALID_INPUT", "Up to 5 subrequests can be sObject Collections or query operations");
            }
        }
        ArrayNode answers = SyncJson.mapper().createArrayNode();
        Map<String, ObjectNode> answered = new LinkedHashMap<>();
        for (JsonNode sub : subrequests) {
            String referenceId = sub.path("referenceId").asText();
            FakeResponse answer;
            try {
                answer = subrequest(request, sub, answered);
            } catch (SalesforceError e) {
                answer = e.response();
            } catch (RequestRejected e) {
                answer = e.response();
            }
            ObjectNode item = answers.addObject();
            item.set("body", answer.body().length == 0 ? NullNode.instance : SyncJson.tree(answer.bodyText()));
            ObjectNode headers = item.putObject("httpHeaders");
            answer.header("location").ifPresent(l -> headers.put("Location", l));
            item.put("httpStatusCode", answer.status());
            item.put("referenceId", referenceId);
            answered.put(referenceId, item);
        }
        ObjectNode out = SyncJson.object();
        out.set("compositeResponse", answers);
        return FakeResponse.json(200, out);
    }

    /**
     * Runs one composite subrequest: resolves {@code @{ref.field}} against earlier answers (a
     * reference to a failed or missing answer halts this subrequest), applies its
     * {@code httpHeaders}, and routes it to the sObject or sObject Collections handler.
     */
    private FakeResponse subrequest(FakeRequest outer, JsonNode sub, Map<String, ObjectNode> answered) {
        String method = sub.path("method").asText("").toUpperCase(Locale.ROOT);
        String url = resolveReferences(sub.path("url").asText(""), answered);
        byte[] subBody = sub.hasNonNull("body")
                ? resolveReferences(SyncJson.write(sub.get("body")), answered).getBytes(StandardCharsets.UTF_8) : new byte[0];
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String[] parts = path.split("/");
        // "", services, data, vXX.X, then the resource
        if (parts.length < 5 || !parts[1].equals("services") || !parts[2].equals("data")) {
            throw new SalesforceError(400, "INVALID_INPUT", "a subrequest url must be a /services/data/vXX.X/ path; got " + path);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("version", parts[3]);
        String resource = String.join("/", java.util.Arrays.copyOfRange(parts, 4, parts.length));
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            List.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
                }
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        sub.path("httpHeaders").properties().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), List.of(h.getValue().asText())));
        String[] r = resource.split("/");
        String route;
        if (r.length == 2 && r[0].equals("composite") && r[1].equals("sobjects")) {
            route = method + " collection";
        } else if (r.length == 4 && r[0].equals("composite") && r[1].equals("sobjects")) {
            variables.put("type", r[2]);
            variables.put("field", r[3]);
            route = method + " collection upsert";
        } else if (r.length == 2 && r[0].equals("sobjects")) {
            variables.put("type", r[1]);
            route = method + " sobject";
        } else if (r.length == 3 && r[0].equals("sobjects")) {
            variables.put("type", r[1]);
            variables.put("id", r[2]);
            route = method + " row";
        } else if (r.length == 4 && r[0].equals("sobjects")) {
            variables.put("type", r[1]);
            variables.put("field", r[2]);
            variables.put("value", URLDecoder.decode(r[3], StandardCharsets.UTF_8));
            route = method + " upsert";
        } else {
            throw new SalesforceError(400, "UNSUPPORTED_BY_FAKE", "the fake Salesforce runs sObject and sObject Collections "
                    + "subrequests only; got " + method + " " + path);
        }
        FakeRequest inner = new FakeRequest(method, path, query, headers, subBody, variables, outer.receivedAt());
        FakeResponse answer;
        try {
            answer = route(route, inner, path);
        } catch (SalesforceError e) {
            answer = e.response();
        } catch (RequestRejected e) {
            answer = e.response();
        }
        subrequests.record(inner, outer.receivedAt(), subBody.length, answer.status(), null);
        return answer;
    }

    private FakeResponse route(String route, FakeRequest inner, String path) {
        return switch (route) {
            case "POST collection" -> collectionCreate(inner);
            case "PATCH collection" -> collectionUpdate(inner);
            case "DELETE collection" -> collectionDelete(inner);
            case "PATCH collection upsert" -> collectionUpsert(inner);
            case "POST sobject" -> create(inner);
            case "GET row" -> read(inner);
            case "PATCH row" -> update(inner);
            case "DELETE row" -> delete(inner);
            case "PATCH upsert" -> upsert(inner);
            default -> throw new SalesforceError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + inner.method() + "' not allowed on " + path);
        };
    }

    /** Replaces {@code @{ref.field}} with the field of an earlier successful answer's body. */
    private static String resolveReferences(String text, Map<String, ObjectNode> answered) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            ObjectNode answer = answered.get(m.group(1));
            JsonNode value = answer == null ? null : answer.get("body");
            for (String step : m.group(2).split("\\.")) {
                value = value == null ? null : value.get(step);
            }
            int status = answer == null ? 0 : answer.path("httpStatusCode").asInt();
            if (value == null || value.isNull() || value.isContainerNode() || status < 200 || status >= 300) {
                throw new SalesforceError(400, "PROCESSING_HALTED", "Invalid reference specified. No value for " + m.group(1) + "."
                        + m.group(2) + " found in " + m.group(1) + ": the subrequest it depends on did not succeed");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---------------------------------------------------------------- collections machinery

    /** Checks one record and returns the write to perform; throws the record's error. */
    @FunctionalInterface
    private interface CollectionStep {
        Supplier<ObjectNode> prepare(SObjectType type, ObjectNode record);
    }

    /** With {@code allOrNone}, checks a record fully without writing it. */
    @FunctionalInterface
    private interface DryRun {
        void check(SObjectType type, ObjectNode record);
    }

    private record CollectionRequest(boolean allOrNone, List<JsonNode> records) {
    }

    private CollectionRequest collectionRequest(FakeRequest request) {
        JsonNode body = request.jsonBody(this::malformedBody);
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) {
            throw new SalesforceError(400, "JSON_PARSER_ERROR", "records is required and must be an array");
        }
        if (records.size() > MAX_COLLECTION) {
            throw tooMany();
        }
        List<JsonNode> list = new ArrayList<>();
        records.forEach(list::add);
        return new CollectionRequest(body.path("allOrNone").asBoolean(false), list);
    }

    private FakeResponse collection(CollectionRequest c, CollectionStep step, DryRun dryRun) {
        List<ObjectNode> items = new ArrayList<>();
        synchronized (store) {
            List<SalesforceError> problems = new ArrayList<>();
            for (JsonNode r : c.records()) {
                SalesforceError problem = null;
                try {
                    SObjectType type = typeOfRecord(r);
                    step.prepare(type, (ObjectNode) r);
                    if (c.allOrNone()) {
                        dryRun.check(type, (ObjectNode) r);
                    }
                } catch (SalesforceError e) {
                    problem = e;
                }
                problems.add(problem);
            }
            boolean anyFailed = problems.stream().anyMatch(java.util.Objects::nonNull);
            for (int i = 0; i < c.records().size(); i++) {
                JsonNode r = c.records().get(i);
                SalesforceError problem = problems.get(i);
                if (problem == null && c.allOrNone() && anyFailed) {
                    problem = rolledBack();
                }
                ObjectNode item = SyncJson.object();
                if (problem == null) {
                    try {
                        ObjectNode written = step.prepare(typeOfRecord(r), (ObjectNode) r).get();
                        item.setAll(written);
                        item.put("success", true);
                        item.putArray("errors");
                        if (written.has("created")) {
                            item.remove("created");
                            item.put("created", written.get("created").booleanValue());
                        }
                    } catch (SalesforceError e) {
                        problem = e;
                    }
                }
                if (problem != null) {
                    if (r.hasNonNull("id")) {
                        item.put("id", r.get("id").asText());
                    }
                    item.put("success", false);
                    item.putArray("errors").add(collectionError(problem).collectionItem());
                }
                items.add(item);
            }
        }
        return collectionResponse(items);
    }

    private static FakeResponse collectionResponse(List<ObjectNode> items) {
        ArrayNode out = SyncJson.mapper().createArrayNode();
        items.forEach(out::add);
        return FakeResponse.json(200, out);
    }

    /** Single-resource 404s read differently inside collections. */
    private static SalesforceError collectionError(SalesforceError e) {
        if (e.errorCode().equals("NOT_FOUND")) {
            return new SalesforceError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of());
        }
        return e;
    }

    private String requireLiveForCollection(SObjectType type, String id) {
        try {
            store.requireLive(type, id);
            return id;
        } catch (SalesforceError e) {
            throw collectionError(e);
        }
    }

    private SObjectType typeOfRecord(JsonNode record) {
        if (!record.isObject()) {
            throw new SalesforceError(400, "JSON_PARSER_ERROR", "each record must be a JSON object");
        }
        String name = record.path("attributes").path("type").asText(null);
        if (name == null) {
            throw new SalesforceError(400, "INVALID_TYPE", "Must send a concrete entity type.");
        }
        return store.type(name).orElseThrow(() -> new SalesforceError(400, "INVALID_TYPE", "sObject type '" + name
                + "' is not supported."));
    }

    private static String recordId(ObjectNode record) {
        JsonNode id = record.hasNonNull("id") ? record.get("id") : record.get("Id");
        if (id == null || id.isNull()) {
            throw new SalesforceError(400, "MISSING_ARGUMENT", "Id not specified in an update call", List.of("Id"));
        }
        return SalesforceIds.normalise(id.asText()).orElseThrow(() -> new SalesforceError(400, "MALFORMED_ID",
                "malformed id " + id.asText(), List.of("Id")));
    }

    private static SalesforceError rolledBack() {
        return new SalesforceError(400, "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were "
                + "valid and the request was using AllOrNone header", List.of());
    }

    private static SalesforceError tooMany() {
        return new SalesforceError(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than " + MAX_COLLECTION
                + " records into this call");
    }

    // ---------------------------------------------------------------- helpers

    private ObjectNode recordJson(SObjectType type, StoredRecord r, List<SObjectField> only, String version) {
        SObjectRow row = new SObjectRow(store, type, r);
        ObjectNode out = SyncJson.object();
        out.putObject("attributes").put("type", type.name()).put("url", "/services/data/" + version + "/sobjects/" + type.name() + "/" + r.id());
        List<SObjectField> fields = only;
        if (fields == null) {
            fields = new ArrayList<>(SObjectType.SYSTEM_FIELDS);
            fields.addAll(type.fields().values());
        }
        for (SObjectField f : fields) {
            out.set(f.name(), row.json(f));
        }
        return out;
    }

    private Predicate<StoredRecord> unmodifiedSince(FakeRequest request) {
        Optional<String> header = request.header("if-unmodified-since");
        if (header.isEmpty()) {
            return r -> true;
        }
        Instant limit;
        try {
            limit = ZonedDateTime.parse(header.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new SalesforceError(400, "INVALID_HEADER_TYPE", "If-Unmodified-Since must be an HTTP date");
        }
        return r -> !r.modifiedAt().truncatedTo(ChronoUnit.SECONDS).isAfter(limit);
    }

    private Instant replicationDate(FakeRequest request, String name) {
        String raw = request.queryParam(name).orElseThrow(() -> new SalesforceError(400, "MISSING_ARGUMENT", name + " is required"));
        return SalesforceTime.parse(raw).orElseThrow(() -> new SalesforceError(400, "INVALID_REPLICATION_DATE",
                name + " must be an ISO-8601 date-time with an offset, got '" + raw + "'"));
    }

    private SObjectType requireTypeOf(FakeRequest request) {
        return store.type(request.pathVariable("type")).orElseThrow(SalesforceError::notFound);
    }

    private SObjectType requireType(String type) {
        return store.type(type).orElseThrow(() -> new IllegalArgumentException("no sObject type '" + type + "' in the fake org"));
    }

    private static String pathId(FakeRequest request, SObjectType type) {
        String raw = request.pathVariable("id");
        return SalesforceIds.normalise(raw).filter(id -> id.startsWith(type.keyPrefix()))
                .orElseThrow(() -> new SalesforceError(400, "MALFORMED_ID", type.name() + " ID: id value of incorrect type: " + raw,
                        List.of("Id")));
    }

    private String normalised(String id) {
        return SalesforceIds.normalise(id).orElseThrow(() -> new IllegalArgumentException("not a Salesforce id: " + id));
    }

    private List<SObjectField> fieldsOf(SObjectType type, List<String> names) {
        List<SObjectField> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String n : names) {
            SObjectField f = type.field(n).orElseThrow(() -> new SalesforceError(400, "INVALID_FIELD",
                    "No such column '" + n + "' on sobject of type " + type.name()));
            if (seen.add(f.name())) {
                out.add(f);
            }
        }
        return out;
    }

    private FakeResponse malformedBody(String reason) {
        return new SalesforceError(400, "JSON_PARSER_ERROR", reason).response();
    }

    private static String version(FakeRequest request) {
        return request.pathVariable("version");
    }

    private static int majorVersion(String version) {
        Matcher m = VERSION.matcher(version);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static FakeResponse json(int status, byte[] body) {
        return new FakeResponse(status, Map.of("content-type", List.of("application/json;charset=UTF-8")), body);
    }

    private static <T> T apply(Supplier<T> write) {
        try {
            return write.get();
        } catch (SalesforceError e) {
            throw new IllegalArgumentException(e.errorCode() + ": " + e.getMessage(), e);
        }
    }
}
