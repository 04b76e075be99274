package com.castiel.sync.azure.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Event Grid topic endpoint on 127.0.0.1 over HTTPS that captures what publishers send: it
 * accepts {@code POST /api/events} authenticated by {@code aeg-sas-key} (the configured key) or
 * a bearer token, requires a JSON array body as Event Grid does, answers 200 with an empty body,
 * and answers queued fault statuses first.
 */
public final class EventCaptureServer implements AutoCloseable {

    /**
     * One captured request.
     *
     * @param path request path
     * @param query raw query
     * @param headers request headers (lower-case names, first value)
     * @param body parsed body
     */
    public record Captured(String path, String query, Map<String, String> headers, JsonNode body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpsServer server;
    private final String key;
    private final String bearer;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private final Deque<Integer> faults = new ArrayDeque<>();

    public EventCaptureServer(String key, String bearerToken) {
        this.key = key;
        this.bearer = bearerToken;
        this.server = LocalHttps.server();
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return LocalHttps.baseUrl(server) + "/api/events";
    }

    public List<Captured> captured() {
        return List.copyOf(captured);
    }

    public synchronized void failNext(int status) {
        faults.add(status);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            Integer fault;
            synchronized (this) {
                fault = faults.poll();
            }
            int status;
            String reply = "";
            boolean authorised = (key != null && key.equals(headers.get("aeg-sas-key")))
                    || (bearer != null && ("Bearer " + bearer).equals(headers.get("authorization")));
            JsonNode parsed = body.length == 0 ? null : json.readTree(body);
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/api/events")) {
                status = 404;
            } else if (!authorised) {
                status = 401;
                reply = "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"The request authorization key is not authorized.\"}}";
            } else if (fault != null) {
                status = fault;
                reply = "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"injected fault\"}}";
            } else if (parsed == null || !parsed.isArray()) {
                status = 400;
                reply = "{\"error\":{\"code\":\"BadRequest\",\"message\":\"body must be an array of events\"}}";
            } else {
                status = 200;
                captured.add(new Captured(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), parsed));
            }
            byte[] out = reply.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }
}
