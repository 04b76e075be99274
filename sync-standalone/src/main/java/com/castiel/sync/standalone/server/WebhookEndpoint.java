package com.castiel.sync.standalone.server;

import com.castiel.sync.engine.WebhookIntake;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{provider}/{endpointKey}}: reads the raw body with a size bound and hands
 * it to the engine's {@link WebhookIntake}, which resolves the integration from the key, lets the
 * adapter verify the bytes, answers handshakes and queues authentic payloads durably before the
 * 2xx goes out. Unknown key 404, forged 401, malformed 400, oversized 413 (checked here first, so
 * a huge body is never read), and 503 once the runtime is stopping or when the queue cannot take
 * the payload; nothing is queued in any of those cases.
 *
 * <p>Counts requests in {@code sync_webhook_requests} (tags: provider when it has an adapter,
 * otherwise {@code other}; {@code status}). Thread-safe.
 */
public final class WebhookEndpoint {

    static final String PREFIX = "/webhooks/";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEndpoint.class);

    private final WebhookIntake intake;
    private final int maxBodyBytes;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Set<String> providers;
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param providers provider ids with an adapter (only these become metric tag values)
     */
    public WebhookEndpoint(WebhookIntake intake, int maxBodyBytes, Clock clock, MeterRegistry meters, Set<String> providers) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.maxBodyBytes = maxBodyBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.providers = Set.copyOf(providers);
    }

    /** Refuses new webhooks with 503 from now on (graceful shutdown: stop intake first). */
    public void stopAccepting() {
        accepting.set(false);
    }

    public boolean accepting() {
        return accepting.get();
    }

    /** Webhook requests being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    boolean handle(Request request, Response response, Callback callback, String path) {
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            return reply(response, callback, "other", WebhookResponse.text(404, HttpReplies.TEXT, "unknown webhook endpoint"));
        }
        String provider = rest.substring(0, slash);
        String endpointKey = rest.substring(slash + 1);
        String tag = providers.contains(provider) ? provider : "other";
        if (!request.getMethod().equals("POST") && !request.getMethod().equals("GET")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST, GET");
            return reply(response, callback, tag, WebhookResponse.text(405, HttpReplies.TEXT, "use POST"));
        }
        inFlight.incrementAndGet();
        try {
            if (!accepting.get()) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
                return reply(response, callback, tag, WebhookResponse.text(503, HttpReplies.TEXT, "shutting down; retry later"));
            }
            byte[] body;
            try {
                body = BoundedBody.read(request, maxBodyBytes);
            } catch (BodyTooLargeException e) {
                return reply(response, callback, tag, WebhookResponse.text(413, HttpReplies.TEXT, "payload larger than " + maxBodyBytes + " bytes"));
            } catch (IOException e) {
                return reply(response, callback, tag, WebhookResponse.text(400, HttpReplies.TEXT, "request body could not be read"));
            }
            WebhookRequest webhook = new WebhookRequest(request.getMethod(), headers(request), query(request), body, clock.instant());
            WebhookResponse answer;
            try {
                answer = intake.receive(provider, endpointKey, webhook);
            } catch (RuntimeException e) {
                LOG.atError().setMessage("webhook could not be queued").addKeyValue("provider", tag)
                        .addKeyValue("error", e.toString()).log();
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                answer = WebhookResponse.text(503, HttpReplies.TEXT, "could not queue the webhook; retry later");
            }
            return reply(response, callback, tag, answer);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private boolean reply(Response response, Callback callback, String providerTag, WebhookResponse answer) {
        meters.counter("sync_webhook_requests", "provider", providerTag, "status", Integer.toString(answer.status())).increment();
        return HttpReplies.send(response, callback, answer.status(), answer.body().length == 0 ? null : answer.contentType(), answer.body());
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> out = new HashMap<>();
        for (HttpField f : request.getHeaders()) {
            out.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>(1)).add(f.getValue());
        }
        return out;
    }

    private static Map<String, List<String>> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        if (fields.getSize() == 0) {
            return Map.of();
        }
        Map<String, List<String>> out = new HashMap<>();
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValues());
        }
        return out;
    }
}
