package com.castiel.sync.standalone.server;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.JobType;
import com.castiel.sync.standalone.admin.Administration;
import com.castiel.sync.standalone.admin.UnknownResourceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /api}, JSON in and out, every call behind
 * {@code Authorization: Bearer <admin token>} (compared in constant time; 401 otherwise).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET {@code /api/overview}</td><td>integrations with last run, queue counts, dead letters, alerts, recent events</td></tr>
 *   <tr><td>GET {@code /api/integrations}</td><td>integration summaries</td></tr>
 *   <tr><td>GET {@code /api/integrations/{id}}</td><td>summary, document and credential status (no values)</td></tr>
 *   <tr><td>POST {@code /api/integrations/{id}/sync?type=full_sync|incremental}</td><td>queue a sync now (202)</td></tr>
 *   <tr><td>GET {@code /api/integrations/{id}/history?limit=}</td><td>newest runs</td></tr>
 *   <tr><td>GET {@code /api/integrations/{id}/shards?externalId=&entity=}</td><td>the shard linked to an external record</td></tr>
 *   <tr><td>GET {@code /api/tenants/{tenant}/shards/{shardId}}</td><td>one shard</td></tr>
 *   <tr><td>GET {@code /api/tenants/{tenant}/shards/count?type=}</td><td>live shards of a tenant</td></tr>
 *   <tr><td>GET {@code /api/queues}</td><td>queue counts</td></tr>
 *   <tr><td>GET {@code /api/deadletters?queue=&limit=}</td><td>dead letters, oldest first</td></tr>
 *   <tr><td>POST {@code /api/deadletters/{queue}/{seq}/replay}, {@code /api/deadletters/{queue}/replay?limit=}</td><td>replay one or the oldest</td></tr>
 *   <tr><td>DELETE {@code /api/deadletters/{queue}/{seq}}, {@code /api/deadletters/{queue}}</td><td>purge one or all</td></tr>
 *   <tr><td>GET {@code /api/conflicts?integration=}, POST {@code /api/conflicts/...}</td><td>see {@link ConflictRoutes}</td></tr>
 *   <tr><td>GET {@code /api/alerts}</td><td>alerts that hold now</td></tr>
 *   <tr><td>GET {@code /api/events?limit=}</td><td>recent domain events</td></tr>
 * </table>
 *
 * <p>Errors are {@code {"error": "..."}} with 400 (bad argument), 401, 404 (unknown thing),
 * 405, 409 (integration not active) or 500. Thread-safe.
 */
public final class AdminApi {

    static final String PREFIX = "/api/";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final int MAX_LIMIT = 1000;

    private final Administration admin;
    private final AdminToken token;
    private final ConflictRoutes conflicts;

    /** @param conflicts the conflict routes, or {@code null} where write-back is not available */
    public AdminApi(Administration admin, AdminToken token, ConflictRoutes conflicts) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.token = Objects.requireNonNull(token, "token");
        this.conflicts = conflicts;
    }

    boolean handle(Request request, Response response, Callback callback, String path) {
        if (!token.acceptsAuthorization(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"castiel-sync\"");
            return HttpReplies.error(response, callback, 401, "missing or wrong admin token (Authorization: Bearer <token>)");
        }
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        Fields query = Request.extractQueryParameters(request);
        String method = request.getMethod();
        try {
            return route(method, s, query, request, response, callback);
        } catch (UnknownResourceException | NoSuchElementException e) {
            return HttpReplies.error(response, callback, 404, e.getMessage());
        } catch (IllegalStateException e) {
            return HttpReplies.error(response, callback, 409, e.getMessage());
        } catch (IllegalArgumentException e) {
            return HttpReplies.error(response, callback, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.atError().setMessage("admin request failed").addKeyValue("path", path).addKeyValue("error", e.toString()).log();
            return HttpReplies.error(response, callback, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private boolean route(String method, String[] s, Fields q, Request request, Response response, Callback cb) {
        String head = s[0];
        switch (head) {
            case "overview" -> {
                return get(method, s.length == 1, response, cb, this::overview);
            }
            case "integrations" -> {
                if (s.length == 1) {
                    return get(method, true, response, cb, admin::integrations);
                }
                String id = s[1];
                if (s.length == 2) {
                    return get(method, true, response, cb, () -> integrationDetail(id));
                }
                if (s.length == 3 && s[2].equals("sync")) {
                    if (!method.equals("POST")) {
                        return notAllowed(response, cb, "POST");
                    }
                    String type = q.getValue("type");
                    JobType jobType = type == null || type.isBlank() ? null : JobType.fromWire(type);
                    return HttpReplies.json(response, cb, 202, admin.requestSync(id, jobType, "admin-api"));
                }
                if (s.length == 3 && s[2].equals("history")) {
                    return get(method, true, response, cb, () -> admin.history(id, limit(q, 20)));
                }
                if (s.length == 3 && s[2].equals("shards")) {
                    String externalId = required(q, "externalId");
                    return get(method, true, response, cb, () -> admin.shardByExternalId(id, q.getValue("entity"), externalId)
                            .orElseThrow(() -> new UnknownResourceException("no shard of integration '" + id + "' is linked to '" + externalId + "'")));
                }
                return notFound(response, cb);
            }
            case "tenants" -> {
                if (s.length == 4 && s[2].equals("shards") && s[3].equals("count")) {
                    return get(method, true, response, cb, () -> Map.of("tenantId", s[1], "count", admin.shardCount(s[1], q.getValue("type"))));
                }
                if (s.length == 4 && s[2].equals("shards")) {
                    return get(method, true, response, cb, () -> admin.shard(s[1], s[3])
                            .orElseThrow(() -> new UnknownResourceException("no shard '" + s[3] + "' in tenant '" + s[1] + "'")));
                }
                return notFound(response, cb);
            }
            case "queues" -> {
                return get(method, s.length == 1, response, cb, admin::queues);
            }
            case "alerts" -> {
                return get(method, s.length == 1, response, cb, admin::alerts);
            }
            case "events" -> {
                return get(method, s.length == 1, response, cb, () -> admin.events(limit(q, 50)).stream().map(AdminApi::eventView).toList());
            }
            case "deadletters" -> {
                return deadLetters(method, s, q, response, cb);
            }
            case "conflicts" -> {
                if (conflicts == null) {
                    return HttpReplies.error(response, cb, 404, "conflict review is not available in this build");
                }
                return conflicts.handle(method, s, q, request, response, cb);
            }
            default -> {
                return notFound(response, cb);
            }
        }
    }

    private boolean deadLetters(String method, String[] s, Fields q, Response response, Callback cb) {
        if (s.length == 1) {
            return get(method, true, response, cb, () -> admin.deadLetters(q.getValue("queue"), limit(q, Administration.DEFAULT_LIMIT)));
        }
        String queue = s[1];
        if (s.length == 2) {
            if (!method.equals("DELETE")) {
                return notAllowed(response, cb, "DELETE");
            }
            return HttpReplies.json(response, cb, 200, Map.of("purged", admin.purgeAll(queue)));
        }
        if (s.length == 3 && s[2].equals("replay")) {
            if (!method.equals("POST")) {
                return notAllowed(response, cb, "POST");
            }
            return HttpReplies.json(response, cb, 200, Map.of("replayed", admin.replayAll(queue, limit(q, Administration.DEFAULT_LIMIT))));
        }
        long seq = sequence(s[2]);
        if (s.length == 3) {
            if (!method.equals("DELETE")) {
                return notAllowed(response, cb, "DELETE");
            }
            if (!admin.purge(queue, seq)) {
                throw new UnknownResourceException("no dead letter " + seq + " in " + queue);
            }
            return HttpReplies.json(response, cb, 200, Map.of("purged", 1));
        }
        if (s.length == 4 && s[3].equals("replay")) {
            if (!method.equals("POST")) {
                return notAllowed(response, cb, "POST");
            }
            if (!admin.replay(queue, seq)) {
                throw new UnknownResourceException("no dead letter " + seq + " in " + queue);
            }
            return HttpReplies.json(response, cb, 200, Map.of("replayed", 1));
        }
        return notFound(response, cb);
    }

    private Map<String, Object> overview() {
        Administration.Overview o = admin.overview();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("integrations", o.integrations());
        out.put("queues", o.queues());
        out.put("deadLetters", o.deadLetters());
        out.put("alerts", o.alerts());
        out.put("recentEvents", o.recentEvents().stream().map(AdminApi::eventView).toList());
        return out;
    }

    private Map<String, Object> integrationDetail(String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", admin.summary(id));
        out.put("integration", admin.integration(id));
        out.put("credentials", admin.credentialStatus(id));
        return out;
    }

    static Map<String, Object> eventView(SyncEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", e.eventType());
        out.put("subject", e.subject());
        out.put("occurredAt", e.occurredAt());
        out.put("data", e);
        return out;
    }

    private static boolean get(String method, boolean exists, Response response, Callback cb, java.util.function.Supplier<Object> body) {
        if (!exists) {
            return notFound(response, cb);
        }
        if (!method.equals("GET")) {
            return notAllowed(response, cb, "GET");
        }
        return HttpReplies.json(response, cb, 200, body.get());
    }

    private static boolean notFound(Response response, Callback cb) {
        return HttpReplies.error(response, cb, 404, "no such admin resource");
    }

    private static boolean notAllowed(Response response, Callback cb, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return HttpReplies.error(response, cb, 405, "use " + allowed);
    }

    static int limit(Fields q, int fallback) {
        String v = q.getValue("limit");
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1 || n > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number");
        }
    }

    static String required(Fields q, String name) {
        String v = q.getValue(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required");
        }
        return v;
    }

    private static long sequence(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a dead-letter sequence number");
        }
    }

    /** Routes under {@code /api/conflicts}, supplied by the write-back wiring. */
    public interface ConflictRoutes {
        /**
         * @param segments the path below {@code /api/}, starting with {@code conflicts}
         */
        boolean handle(String method, String[] segments, Fields query, Request request, Response response, Callback callback);
    }
}
