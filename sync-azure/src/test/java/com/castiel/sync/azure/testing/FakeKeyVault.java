package com.castiel.sync.azure.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful in-process Azure Key Vault (secrets only) on 127.0.0.1 over HTTPS, for the real
 * {@code SecretClient}: bearer challenge, set (a new version each time), get (latest or by
 * version), list (paged with {@code nextLink}), list versions, soft delete, get deleted, recover
 * and purge, with Key Vault's response shapes and error bodies. Faults: queued status codes
 * answered before any handling; requests are journaled (method, path, content type) without
 * bodies.
 */
public final class FakeKeyVault implements AutoCloseable {

    /** The token the fake accepts; tests give the client a credential that returns it. */
    public static final String ACCEPTED_TOKEN = "fake-vault-access-token";
    private static final Pattern SECRET = Pattern.compile("^/secrets/([^/]+)(?:/([^/]*))?$");
    private static final Pattern DELETED = Pattern.compile("^/deletedsecrets/([^/]+)(/recover)?$");
    private static final Pattern NAME = Pattern.compile("^[0-9a-zA-Z-]{1,127}$");
    private static final int PAGE_SIZE = 2;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpsServer server;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, List<ObjectNode>> versions = new TreeMap<>();
    private final Map<String, List<ObjectNode>> deleted = new HashMap<>();
    private final Deque<Integer> faults = new ArrayDeque<>();
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private int challenges;

    public FakeKeyVault(Clock clock) {
        this.clock = clock;
        this.server = LocalHttps.server();
        server.createContext("/", this::handle);
        server.start();
    }

    public String vaultUrl() {
        return LocalHttps.baseUrl(server);
    }

    /** Answers the next request with {@code status} (and a Key Vault error body). */
    public synchronized void failNext(int status) {
        faults.add(status);
    }

    /** Versions of a secret, oldest first (values included, for assertions). */
    public synchronized List<JsonNode> versionsOf(String name) {
        return List.copyOf(versions.getOrDefault(name, List.of()));
    }

    public synchronized boolean isDeleted(String name) {
        return deleted.containsKey(name);
    }

    /** {@code METHOD path content-type} of every request, in order. */
    public List<String> journal() {
        return List.copyOf(journal);
    }

    public synchronized int challenges() {
        return challenges;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            journal.add(method + " " + path + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            Reply reply;
            synchronized (this) {
                reply = route(exchange, method, path, body);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = reply.body == null ? new byte[0] : json.writeValueAsBytes(reply.body);
            exchange.sendResponseHeaders(reply.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    private Reply route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + ACCEPTED_TOKEN)) {
            challenges++;
            Reply r = new Reply(401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
            r.headers.put("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\","
                    + " resource=\"https://vault.azure.net\"");
            return r;
        }
        if (!faults.isEmpty()) {
            int status = faults.poll();
            Reply r = new Reply(status, error(status == 429 ? "Throttled" : "ServiceUnavailable", "injected fault"));
            r.headers.put("Retry-After", "3");
            return r;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (path.equals("/secrets") && method.equals("GET")) {
            return list(query);
        }
        Matcher m = SECRET.matcher(path);
        if (m.matches()) {
            String name = m.group(1);
            String second = m.group(2);
            if (!NAME.matcher(name).matches()) {
                return new Reply(400, error("BadParameter", "The request URI contains an invalid name: " + name));
            }
            if (method.equals("PUT") && second == null) {
                return set(name, json.readTree(body));
            }
            if (method.equals("GET") && "versions".equals(second)) {
                return listVersions(name);
            }
            if (method.equals("GET")) {
                return get(name, second == null || second.isEmpty() ? null : second);
            }
            if (method.equals("DELETE") && second == null) {
                return delete(name);
            }
        }
        Matcher d = DELETED.matcher(path);
        if (d.matches()) {
            String name = d.group(1);
            if (method.equals("GET") && d.group(2) == null) {
                return deleted.containsKey(name) ? new Reply(200, deletedBundle(name)) : notFound("Deleted Secret", name);
            }
            if (method.equals("POST") && d.group(2) != null) {
                List<ObjectNode> restored = deleted.remove(name);
                if (restored == null) {
                    return notFound("Deleted Secret", name);
                }
                versions.put(name, restored);
                return new Reply(200, withoutValue(restored.getLast()));
            }
            if (method.equals("DELETE") && d.group(2) == null) {
                return deleted.remove(name) != null ? new Reply(204, null) : notFound("Deleted Secret", name);
            }
        }
        return new Reply(400, error("BadParameter", "unsupported request " + method + " " + path));
    }

    private Reply set(String name, JsonNode request) {
        if (deleted.containsKey(name)) {
            return new Reply(409, error("Conflict", "Secret " + name + " is currently in a deleted but recoverable state, and its name cannot be"
                    + " reused; in this state, the secret can only be recovered or purged."));
        }
        if (!request.hasNonNull("value")) {
            return new Reply(400, error("BadParameter", "The parameter value is required"));
        }
        long now = clock.instant().getEpochSecond();
        byte[] v = new byte[16];
        random.nextBytes(v);
        String version = HexFormat.of().formatHex(v);
        ObjectNode bundle = json.createObjectNode();
        bundle.put("value", request.get("value").asText());
        bundle.put("id", vaultUrl() + "/secrets/" + name + "/" + version);
        if (request.hasNonNull("contentType")) {
            bundle.put("contentType", request.get("contentType").asText());
        }
        ObjectNode attributes = bundle.putObject("attributes");
        attributes.put("enabled", !request.path("attributes").has("enabled") || request.path("attributes").path("enabled").asBoolean());
        attributes.put("created", now);
        attributes.put("updated", now);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        if (request.has("tags")) {
            bundle.set("tags", request.get("tags"));
        }
        versions.computeIfAbsent(name, k -> new ArrayList<>()).add(bundle);
        return new Reply(200, bundle);
    }

    private Reply get(String name, String version) {
        List<ObjectNode> all = versions.get(name);
        if (all == null) {
            return notFound("Secret", name);
        }
        if (version == null) {
            return new Reply(200, all.getLast());
        }
        return all.stream().filter(b -> b.get("id").asText().endsWith("/" + version)).findFirst()
                .map(b -> new Reply(200, b)).orElseGet(() -> notFound("Secret", name + "/" + version));
    }

    private Reply delete(String name) {
        List<ObjectNode> all = versions.remove(name);
        if (all == null) {
            return notFound("Secret", name);
        }
        deleted.put(name, all);
        return new Reply(200, deletedBundle(name));
    }

    private Reply list(Map<String, String> query) {
        List<String> names = new ArrayList<>(versions.keySet());
        int skip = Integer.parseInt(query.getOrDefault("skip", "0"));
        ObjectNode page = json.createObjectNode();
        ArrayNode value = page.putArray("value");
        for (int i = skip; i < Math.min(names.size(), skip + PAGE_SIZE); i++) {
            ObjectNode item = withoutValue(versions.get(names.get(i)).getLast());
            item.put("id", vaultUrl() + "/secrets/" + names.get(i));
            value.add(item);
        }
        if (skip + PAGE_SIZE < names.size()) {
            page.put("nextLink", vaultUrl() + "/secrets?api-version=" + query.getOrDefault("api-version", "7.6") + "&skip=" + (skip + PAGE_SIZE));
        } else {
            page.putNull("nextLink");
        }
        return new Reply(200, page);
    }

    private Reply listVersions(String name) {
        List<ObjectNode> all = versions.get(name);
        ObjectNode page = json.createObjectNode();
        ArrayNode value = page.putArray("value");
        if (all != null) {
            all.forEach(b -> value.add(withoutValue(b)));
        }
        page.putNull("nextLink");
        return new Reply(200, page);
    }

    private ObjectNode deletedBundle(String name) {
        ObjectNode b = withoutValue(deleted.get(name).getLast());
        long now = clock.instant().getEpochSecond();
        b.put("recoveryId", vaultUrl() + "/deletedsecrets/" + name);
        b.put("deletedDate", now);
        b.put("scheduledPurgeDate", now + 90L * 24 * 3600);
        return b;
    }

    private ObjectNode withoutValue(ObjectNode bundle) {
        ObjectNode copy = bundle.deepCopy();
        copy.remove("value");
        return copy;
    }

    private Reply notFound(String what, String name) {
        return new Reply(404, error(what.equals("Secret") ? "SecretNotFound" : "DeletedSecretNotFound",
                what + " " + name + " not found"));
    }

    private ObjectNode error(String code, String message) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static final class Reply {
        final int status;
        final JsonNode body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Reply(int status, JsonNode body) {
            this.status = status;
            this.body = body;
        }
    }
}
