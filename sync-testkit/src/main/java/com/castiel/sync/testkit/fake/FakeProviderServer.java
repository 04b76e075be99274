package com.castiel.sync.testkit.fake;

import com.castiel.sync.model.SyncJson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every fake provider: a real HTTP/1.1 server on {@code 127.0.0.1} and a random
 * port, with routing, a {@link RequestJournal}, a {@link FaultPlan} and optional bearer-token
 * authentication applied uniformly to every request.
 *
 * <p><b>Request path.</b> Each request is read whole (at most {@value #MAX_BODY_BYTES} bytes,
 * else 413), then: (1) the fault plan may answer it instead — like a gateway in front of the
 * provider, so faults hit every route the same way; (2) the first route whose method and path
 * pattern match is chosen (404, or 405 when only the method differs); (3) routes registered with
 * {@link #route} require a valid bearer token once {@link #requireBearerTokens} was called,
 * {@link #publicRoute}s do not; (4) the handler answers. Every request, faulted or not, lands
 * in the journal with its status.
 *
 * <p><b>Extending.</b> A vendor fake extends this class, registers its routes in its
 * constructor, and overrides the {@code protected} renderers ({@link #renderFault},
 * {@link #unauthorized}, {@link #noRoute}…) to shape error bodies as its vendor does. Path
 * patterns are literal segments and {@code {name}} segments, which capture one non-empty
 * segment ({@code /v1/{entity}/{id}}); the first registered match wins, so register
 * {@code /v1/{entity}/deleted} before {@code /v1/{entity}/{id}}.
 *
 * <p><b>Lifecycle and threading.</b> {@link #start()} binds and returns immediately;
 * {@link #close()} stops it and interrupts in-flight slow bodies. Requests run on virtual
 * threads, concurrently. Routes may be added before or after start. Instances are thread-safe.
 */
public class FakeProviderServer implements AutoCloseable {

    /** Largest request body accepted; larger requests get 413. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FakeProviderServer.class);

    private final Clock clock;
    private final RequestJournal journal = new RequestJournal();
    private final FaultPlan faults = new FaultPlan();
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<String> handlerFailures = new CopyOnWriteArrayList<>();
    private volatile TokenAuthority bearerAuthority;
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private HttpServer server;
    private ExecutorService executor;

    /** @param clock the clock requests are time-stamped with in the journal and handlers */
    public FakeProviderServer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Registers a route; it requires a bearer token once {@link #requireBearerTokens} was called. */
    public final void route(String method, String pathPattern, FakeHandler handler) {
        routes.add(new Route(method.toUpperCase(Locale.ROOT), PathPattern.parse(pathPattern), handler, true));
    }

    /** Registers a route that never requires a bearer token (token endpoints, health checks). */
    public final void publicRoute(String method, String pathPattern, FakeHandler handler) {
        routes.add(new Route(method.toUpperCase(Locale.ROOT), PathPattern.parse(pathPattern), handler, false));
    }

    /**
     * From now on, {@link #route} routes answer {@link #unauthorized} unless the request carries
     * {@code Authorization: Bearer <token>} that {@code authority} judges valid.
     */
    public final void requireBearerTokens(TokenAuthority authority) {
        this.bearerAuthority = Objects.requireNonNull(authority, "authority");
    }

    /**
     * Binds {@code 127.0.0.1} on a free port and starts serving.
     *
     * @throws IllegalStateException when already started
     * @throws UncheckedIOException when the port cannot be bound
     */
    public synchronized FakeProviderServer start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        // The JDK server writes a response's headers and body separately and, unless told
        // otherwise, with Nagle's algorithm on: a small body then waits for the client's delayed
        // ACK of the headers (about 40 ms per exchange on Linux loopback), which no real provider
        // adds. The setting is read once, when the JVM's first server starts; a value given on
        // the command line wins.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port for " + getClass().getSimpleName(), e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:<port>} without a trailing slash. */
    public synchronized URI baseUrl() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stops serving; idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public RequestJournal journal() {
        return journal;
    }

    public FaultPlan faults() {
        return faults;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Descriptions of handler exceptions answered as 500: non-empty means the fake has a bug
     * (tests may assert it stays empty).
     */
    public List<String> handlerFailures() {
        return List.copyOf(handlerFailures);
    }

    /**
     * The response for an injected status fault. The default renders plain JSON bodies:
     * 429 and 503 as {@code {"error":…}} with {@code Retry-After}, an expired token through
     * {@link #unauthorized}, malformed JSON as a truncated document. Override to use the
     * vendor's error shapes. Not called for {@link Fault.ConnectionReset}; for
     * {@link Fault.SlowBody} the route's own response is sent slowly instead.
     */
    protected FakeResponse renderFault(Fault fault, FakeRequest request) {
        return switch (fault) {
            case Fault.RateLimited f -> FakeResponse.json(429, SyncJson.object().put("error", "rate_limited")
                            .put("message", "too many requests; retry after " + f.retryAfterSeconds() + " s"))
                    .withHeader("retry-after", Integer.toString(f.retryAfterSeconds()));
            case Fault.ServiceUnavailable f -> {
                FakeResponse r = FakeResponse.json(503, SyncJson.object().put("error", "unavailable")
                        .put("message", "the service is temporarily unavailable"));
                yield f.retryAfterSeconds() > 0 ? r.withHeader("retry-after", Integer.toString(f.retryAfterSeconds())) : r;
            }
            case Fault.ExpiredToken f -> unauthorized(request, TokenAuthority.AccessCheck.EXPIRED);
            case Fault.MalformedJson f -> FakeResponse.rawJson(200, "{\"records\":[{\"id\":\"tru");
            case Fault.ConnectionReset f -> throw new IllegalArgumentException("a reset has no response");
            case Fault.SlowBody f -> throw new IllegalArgumentException("a slow body uses the route's response");
        };
    }

    /**
     * The 401 answered when a protected route gets no valid bearer token. The default is
     * RFC 6750: {@code WWW-Authenticate: Bearer error="invalid_token"} and a JSON body whose
     * {@code error} is {@code token_expired} or {@code invalid_token}.
     */
    protected FakeResponse unauthorized(FakeRequest request, TokenAuthority.AccessCheck check) {
        boolean expired = check == TokenAuthority.AccessCheck.EXPIRED;
        String description = expired ? "The access token expired" : "The access token is missing or invalid";
        return FakeResponse.json(401, SyncJson.object()
                        .put("error", expired ? "token_expired" : "invalid_token")
                        .put("message", description))
                .withHeader("www-authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    /**
     * Last touch on every response that is sent (routed, rejected or an injected status fault;
     * not a reset): add headers the vendor puts on every reply, such as a usage header. The
     * default returns {@code response} unchanged.
     */
    protected FakeResponse finish(FakeRequest request, FakeResponse response) {
        return response;
    }

    /** The 404 for a path no route matches. */
    protected FakeResponse noRoute(FakeRequest request) {
        return FakeResponse.json(404, SyncJson.object().put("error", "not_found")
                .put("message", "no resource at " + request.path()));
    }

    /** The 405 for a path whose routes take other methods. */
    protected FakeResponse methodNotAllowed(FakeRequest request, Set<String> allowed) {
        return FakeResponse.json(405, SyncJson.object().put("error", "method_not_allowed")
                        .put("message", request.method() + " is not allowed on " + request.path()))
                .withHeader("allow", String.join(", ", allowed));
    }

    /** The 500 answered when a handler threw; the failure is also kept in {@link #handlerFailures()}. */
    protected FakeResponse internalError(FakeRequest request, RuntimeException failure) {
        return FakeResponse.json(500, SyncJson.object().put("error", "internal_error")
                .put("message", "the fake failed: " + failure.getClass().getSimpleName()));
    }

    private void exchange(HttpExchange ex) throws IOException {
        Instant receivedAt = clock.instant();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        FakeRequest request = new FakeRequest(ex.getRequestMethod().toUpperCase(Locale.ROOT), ex.getRequestURI().getPath(),
                FakeRequest.parseQuery(ex.getRequestURI().getRawQuery()), headersOf(ex), body, Map.of(), receivedAt);
        if (body.length > MAX_BODY_BYTES) {
            FakeResponse tooLarge = FakeResponse.json(413, SyncJson.object().put("error", "payload_too_large")
                    .put("message", "request bodies are limited to " + MAX_BODY_BYTES + " bytes"));
            journal.record(request, receivedAt, body.length, 413, null);
            send(ex, request, tooLarge, Duration.ZERO);
            return;
        }
        Optional<Fault> fault = faults.decide(request);
        if (fault.isEmpty()) {
            FakeResponse response = dispatch(request);
            journal.record(request, receivedAt, body.length, response.status(), null);
            send(ex, request, response, Duration.ZERO);
            return;
        }
        switch (fault.get()) {
            case Fault.ConnectionReset reset -> {
                journal.record(request, receivedAt, body.length, 0, reset.name());
                abort(ex);
            }
            case Fault.SlowBody slow -> {
                FakeResponse response = dispatch(request);
                journal.record(request, receivedAt, body.length, response.status(), slow.name());
                send(ex, request, response, slow.duration());
            }
            default -> {
                FakeResponse response = renderFault(fault.get(), request);
                journal.record(request, receivedAt, body.length, response.status(), fault.get().name());
                send(ex, request, response, Duration.ZERO);
            }
        }
    }

    private FakeResponse dispatch(FakeRequest request) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> variables = route.pattern().match(request.path());
            if (variables.isEmpty()) {
                continue;
            }
            if (!route.method().equals(request.method())) {
                allowed.add(route.method());
                continue;
            }
            FakeRequest routed = request.withPathVariables(variables.get());
            TokenAuthority authority = bearerAuthority;
            if (route.authenticated() && authority != null) {
                TokenAuthority.AccessCheck check = routed.bearerToken().map(authority::check).orElse(TokenAuthority.AccessCheck.UNKNOWN);
                if (check != TokenAuthority.AccessCheck.VALID) {
                    return unauthorized(routed, check);
                }
            }
            try {
                return Objects.requireNonNull(route.handler().handle(routed), "handler returned no response");
            } catch (RequestRejected rejected) {
                return rejected.response();
            } catch (RuntimeException e) {
                String failure = request.method() + " " + request.path() + ": " + e;
                handlerFailures.add(failure);
                LOG.error("fake handler failed on {} {}", request.method(), request.path(), e);
                return internalError(routed, e);
            }
        }
        return allowed.isEmpty() ? noRoute(request) : methodNotAllowed(request, allowed);
    }

    private void send(HttpExchange ex, FakeRequest request, FakeResponse unfinished, Duration slowBody) throws IOException {
        FakeResponse response = finish(request, unfinished);
        response.headers().forEach((name, values) -> ex.getResponseHeaders().put(name, new ArrayList<>(values)));
        byte[] body = response.body();
        boolean noBody = body.length == 0 || response.status() == 204 || response.status() == 304 || request.method().equals("HEAD");
        ex.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (noBody) {
            ex.close();
            return;
        }
        try (OutputStream out = ex.getResponseBody()) {
            if (slowBody.isZero()) {
                out.write(body);
                return;
            }
            int pieces = Math.min(body.length, 20);
            long pauseNanos = slowBody.toNanos() / pieces;
            int offset = 0;
            for (int i = 0; i < pieces; i++) {
                int end = i == pieces - 1 ? body.length : (int) ((long) body.length * (i + 1) / pieces);
                out.write(body, offset, end - offset);
                out.flush();
                offset = end;
                if (i < pieces - 1) {
                    pause(pauseNanos);
                }
            }
        }
    }

    /**
     * Sends headers that promise a body, a fragment of it, then throws: the JDK server answers
     * an exception from a handler by closing the connection, so the client sees the stream end
     * early — an I/O error, not a status.
     */
    private static void abort(HttpExchange ex) throws IOException {
        byte[] fragment = "{\"records\":[".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().put("content-type", List.of("application/json"));
        ex.sendResponseHeaders(200, 4096);
        OutputStream out = ex.getResponseBody();
        out.write(fragment);
        out.flush();
        throw new IOException("fault: connection reset injected");
    }

    private static void pause(long nanos) throws IOException {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("server stopped during a slow body", e);
        }
    }

    private static Map<String, List<String>> headersOf(HttpExchange ex) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return Collections.unmodifiableMap(headers);
    }

    private record Route(String method, PathPattern pattern, FakeHandler handler, boolean authenticated) {
        Route {
            Objects.requireNonNull(handler, "handler");
        }
    }
}
