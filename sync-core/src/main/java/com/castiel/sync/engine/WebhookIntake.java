package com.castiel.sync.engine;

import com.castiel.sync.registry.AdapterSource;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookResponse;
import com.castiel.sync.spi.WebhookVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives webhooks for both shells: resolves the integration from the endpoint key (never from a
 * header), lets its adapter verify the raw bytes, answers handshakes, and queues authentic
 * payloads durably before answering. Nothing unverified is ever queued.
 *
 * <p>The queued message id is a digest of endpoint key and body, so a provider's redelivery of
 * the same notification inside the queue's duplicate-detection window is dropped by the queue;
 * later duplicates are harmless because applying the same record twice writes nothing.
 */
public final class WebhookIntake {

    private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);

    /** Headers never copied into the queued payload: credentials and signatures stay at the door. */
    private static final Set<String> WITHHELD_HEADERS = Set.of("authorization", "cookie", "proxy-authorization",
            "x-zm-signature", "x-hub-signature", "x-hub-signature-256", "x-goog-channel-token", "x-signature",
            "x-castiel-signature", "x-gong-signature");

    private final IntegrationStore integrations;
    private final AdapterSource adapters;
    private final JobQueue queue;
    private final EventPublisher events;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Map<String, Resolved> byEndpointKey = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How long a resolved endpoint key is reused. Webhooks arrive in bursts for few integrations;
     * reading and parsing the integration document for each one would cost more than verifying
     * and queueing it. A paused or re-keyed integration is seen within this time (jobs for
     * inactive integrations are skipped by the worker anyway).
     */
    static final java.time.Duration RESOLUTION_TTL = java.time.Duration.ofSeconds(5);
    private static final int MAX_CACHED_KEYS = 10_000;

    private record Resolved(Integration integration, java.time.Instant at) {
    }

    public WebhookIntake(IntegrationStore integrations, AdapterSource adapters, JobQueue queue, EventPublisher events, Clock clock, int maxBodyBytes) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The default request size bound: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    /**
     * Handles one webhook request.
     *
     * @param provider provider id from the URL
     * @param endpointKey endpoint key from the URL
     * @return the answer: 404 unknown key, 413 too large, the adapter's rejection (401 forged,
     *     400 malformed), its handshake answer, or its acknowledgement after durable queueing
     */
    public WebhookResponse receive(String provider, String endpointKey, WebhookRequest request) {
        if (request.body().length > maxBodyBytes) {
            return WebhookResponse.text(413, "text/plain", "payload larger than " + maxBodyBytes + " bytes");
        }
        Optional<Integration> found = resolve(endpointKey).filter(i -> i.provider().equals(provider));
        if (found.isEmpty()) {
            return WebhookResponse.text(404, "text/plain", "unknown webhook endpoint");
        }
        Integration integration = found.get();
        WebhookVerdict verdict;
        try (ProviderAdapter adapter = adapters.open(integration)) {
            verdict = adapter.verifyWebhook(request);
        } catch (SyncException e) {
            log.warn("webhook for integration {} could not be verified: {}", integration.id(), e.getMessage());
            return WebhookResponse.text(e instanceof SyncException.Configuration ? 500 : 503, "text/plain", "webhook verification unavailable");
        }
        return switch (verdict) {
            case WebhookVerdict.Reject r -> {
                log.info("webhook for integration {} rejected ({}): {}", integration.id(), r.status(), r.reason());
                yield WebhookResponse.text(r.status(), "text/plain", r.status() == 401 ? "invalid signature" : "rejected");
            }
            case WebhookVerdict.Handshake h -> h.response();
            case WebhookVerdict.Accept a -> {
                enqueue(integration, endpointKey, request);
                yield a.response();
            }
        };
    }

    private Optional<Integration> resolve(String endpointKey) {
        java.time.Instant now = clock.instant();
        Resolved cached = byEndpointKey.get(endpointKey);
        if (cached != null && now.isBefore(cached.at().plus(RESOLUTION_TTL))) {
            return Optional.of(cached.integration());
        }
        Optional<Integration> found = integrations.findByEndpointKey(endpointKey);
        if (found.isPresent()) {
            if (byEndpointKey.size() >= MAX_CACHED_KEYS) {
                byEndpointKey.clear();
            }
            byEndpointKey.put(endpointKey, new Resolved(found.get(), now));
        } else {
            byEndpointKey.remove(endpointKey);
        }
        return found;
    }

    private void enqueue(Integration integration, String endpointKey, WebhookRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!WITHHELD_HEADERS.contains(h.getKey()) && !h.getValue().isEmpty()) {
                headers.put(h.getKey(), h.getValue().get(0));
            }
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        String messageId = digest(endpointKey, request.body());
        WebhookPayload payload = new WebhookPayload(request.header("content-type").orElse(null), body, headers, request.receivedAt());
        SyncJobMessage job = new SyncJobMessage(integration.id(), integration.tenantId(), JobType.WEBHOOK, integration.provider(),
                payload, List.of(), clock.instant(), 1, messageId, "webhook");
        queue.send(QueueSpec.INBOUND_WEBHOOK.name(), OutgoingMessage.of(messageId, SyncJson.writeBytes(job)).withCorrelationId(messageId));
        try {
            events.publish(new SyncEvent.WebhookReceived(integration.tenantId(), integration.id(), integration.provider(), clock.instant(), messageId));
        } catch (RuntimeException e) {
            log.warn("could not publish WebhookReceived for integration {}: {}", integration.id(), e.getMessage());
        }
    }

    private static String digest(String endpointKey, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpointKey.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body);
            return "wh-" + HexFormat.of().formatHex(sha.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
