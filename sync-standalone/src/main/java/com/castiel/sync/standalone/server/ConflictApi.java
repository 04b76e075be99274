package com.castiel.sync.standalone.server;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.outbound.ConflictDesk;
import com.castiel.sync.outbound.FieldChoice;
import com.castiel.sync.outbound.ShardEdit;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.standalone.admin.IntegrationDirectory;
import com.castiel.sync.standalone.admin.UnknownResourceException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Conflict review under {@code /api/conflicts} (conflicts parked by the {@code manual} policy):
 *
 * <ul>
 *   <li>GET {@code /api/conflicts?integration=ID&limit=} lists them;</li>
 *   <li>GET {@code /api/conflicts/{integrationId}/{shardId}} shows one;</li>
 *   <li>POST {@code /api/conflicts/{integrationId}/{shardId}/resolve} with
 *       {@code {"ifMatch": etag, "actor": "who", "choices": {"field": "castiel" | "external" | {"value": ...}}}}
 *       resolves it (409 when the shard changed since {@code ifMatch}).</li>
 * </ul>
 */
public final class ConflictApi implements AdminApi.ConflictRoutes {

    private static final int MAX_BODY = 256 * 1024;

    private final ConflictDesk desk;
    private final IntegrationDirectory directory;

    public ConflictApi(ConflictDesk desk, IntegrationDirectory directory) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public boolean handle(String method, String[] s, Fields q, Request request, Response response, Callback cb) {
        if (s.length == 1) {
            if (!method.equals("GET")) {
                return HttpReplies.error(response, cb, 405, "use GET");
            }
            Integration i = integration(AdminApi.required(q, "integration"));
            return HttpReplies.json(response, cb, 200, desk.list(i.tenantId(), i.id(), AdminApi.limit(q, 50)));
        }
        if (s.length < 3) {
            return HttpReplies.error(response, cb, 404, "no such admin resource");
        }
        Integration i = integration(s[1]);
        ShardId shard = ShardId.of(s[2]);
        if (s.length == 3 && method.equals("GET")) {
            return HttpReplies.json(response, cb, 200, desk.get(i.tenantId(), i.id(), shard)
                    .orElseThrow(() -> new UnknownResourceException("shard " + shard + " has no parked conflict with " + i.id())));
        }
        if (s.length == 4 && s[3].equals("resolve") && method.equals("POST")) {
            JsonNode body = body(request);
            Map<String, FieldChoice> choices = choices(body.path("choices"));
            String actor = body.path("actor").asText("admin-api");
            String ifMatch = body.hasNonNull("ifMatch") ? body.get("ifMatch").asText() : null;
            try {
                ShardEdit edit = desk.resolve(i.tenantId(), i.id(), shard, ifMatch, choices, actor);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("shard", edit.shard());
                out.put("writeBacks", edit.writeBacks().size());
                return HttpReplies.json(response, cb, 200, out);
            } catch (StoreConflictException e) {
                return HttpReplies.error(response, cb, 409, e.getMessage());
            }
        }
        return HttpReplies.error(response, cb, 404, "no such admin resource");
    }

    private Integration integration(String id) {
        return directory.find(id).orElseThrow(() -> new UnknownResourceException("no integration '" + id + "' in the data directory"));
    }

    private static JsonNode body(Request request) {
        try {
            return SyncJson.mapper().readTree(BoundedBody.read(request, MAX_BODY));
        } catch (BodyTooLargeException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not JSON");
        }
    }

    private static Map<String, FieldChoice> choices(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            throw new IllegalArgumentException("'choices' must map each conflicting field to \"castiel\", \"external\" or {\"value\": ...}");
        }
        Map<String, FieldChoice> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isTextual() && v.asText().equals("castiel")) {
                out.put(e.getKey(), FieldChoice.keepCastiel());
            } else if (v.isTextual() && v.asText().equals("external")) {
                out.put(e.getKey(), FieldChoice.takeExternal());
            } else if (v.isObject() && v.has("value")) {
                out.put(e.getKey(), FieldChoice.use(v.get("value")));
            } else {
                throw new IllegalArgumentException("choice for '" + e.getKey() + "' must be \"castiel\", \"external\" or {\"value\": ...}");
            }
        }
        return out;
    }
}
