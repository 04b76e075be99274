package com.castiel.sync.standalone.server;

import com.castiel.sync.standalone.config.ServerSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone runtime's one HTTP server (Jetty 12, request handling on virtual threads):
 *
 * <ul>
 *   <li>{@code /webhooks/{provider}/{endpointKey}}: {@link WebhookEndpoint}</li>
 *   <li>{@code /api/...}: {@link AdminApi}, behind the admin token</li>
 *   <li>{@code /metrics}: Prometheus text format from the engine's meter registry</li>
 *   <li>{@code /health}: {@link HealthCheck}</li>
 *   <li>{@code /} and {@code /dashboard}: the dashboard page</li>
 * </ul>
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once. Thread-safe.
 */
public final class StandaloneHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneHttpServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final WebhookEndpoint webhooks;
    private final AdminApi admin;
    private final PrometheusMeterRegistry metrics;
    private final HealthCheck health;
    private final DashboardPage dashboard = new DashboardPage();

    public StandaloneHttpServer(ServerSettings settings, WebhookEndpoint webhooks, AdminApi admin, PrometheusMeterRegistry metrics,
                                HealthCheck health) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.health = Objects.requireNonNull(health, "health");
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 0).factory()));
        this.server = new Server(pool);
        this.connector = new ServerConnector(server);
        connector.setHost(settings.bindAddress());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new Routes());
        server.setStopTimeout(5_000);
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound (the message names it)
     */
    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // nothing more to release
            }
            throw new IllegalStateException("cannot listen on " + connector.getHost() + ":" + connector.getPort() + ": " + e.getMessage(), e);
        }
        LOG.atInfo().setMessage("HTTP server listening").addKeyValue("address", baseUri()).log();
    }

    /** The bound port (the real one when 0 was configured). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port} as bound. */
    public URI baseUri() {
        String host = connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port());
    }

    public WebhookEndpoint webhooks() {
        return webhooks;
    }

    /** Stops listening; requests in progress get up to the stop timeout to finish. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            try {
                if (path.startsWith(WebhookEndpoint.PREFIX)) {
                    return webhooks.handle(request, response, callback, path);
                }
                if (path.startsWith(AdminApi.PREFIX)) {
                    return admin.handle(request, response, callback, path);
                }
                if (path.equals("/metrics")) {
                    return HttpReplies.send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                if (path.equals("/health")) {
                    HealthCheck.Status s = health.check();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", s.state());
                    if (s.detail() != null) {
                        body.put("detail", s.detail());
                    }
                    return HttpReplies.json(response, callback, s.healthy() ? 200 : 503, body);
                }
                if (dashboard.serves(path)) {
                    return dashboard.handle(method, path, response, callback);
                }
                return HttpReplies.error(response, callback, 404, "not found");
            } catch (RuntimeException e) {
                // a webhook path carries its endpoint key, which is a secret
                String shown = path.startsWith(WebhookEndpoint.PREFIX) ? WebhookEndpoint.PREFIX + "..." : path;
                LOG.atError().setMessage("request failed").addKeyValue("path", shown).addKeyValue("error", e.toString()).log();
                return HttpReplies.error(response, callback, 500, "internal error");
            }
        }
    }
}
