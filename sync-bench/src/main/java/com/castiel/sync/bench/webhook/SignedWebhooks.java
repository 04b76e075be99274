package com.castiel.sync.bench.webhook;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds reference-provider webhook deliveries the way {@code ReferenceProviderServer.webhookFor}
 * does ({@code {"type":"changes","delivery_id",…,"events":[…]}}, signed with
 * {@code X-Reference-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}), from event
 * templates the fake produced, with a fresh delivery id each time so no two deliveries are the
 * same message. One instance per thread ({@link Mac} is not thread-safe).
 */
public final class SignedWebhooks {

    public static final String TIMESTAMP_HEADER = "x-reference-timestamp";
    public static final String SIGNATURE_HEADER = "x-reference-signature";

    private final Mac mac;
    private final List<ObjectNode> templates;

    /**
     * @param templates single events ({@code {"entity","record_id","change","occurred_at","record"}})
     */
    public SignedWebhooks(String secret, List<ObjectNode> templates) {
        Objects.requireNonNull(secret, "secret");
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("at least one event template is needed");
        }
        this.templates = List.copyOf(templates);
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** A signed delivery: the event of template {@code n % templates} under {@code deliveryId}. */
    public Delivery delivery(long n, String deliveryId, Instant now) {
        ObjectNode event = templates.get((int) (n % templates.size()));
        ObjectNode body = SyncJson.object().put("type", "changes").put("delivery_id", deliveryId);
        body.putArray("events").add(event);
        return sign(SyncJson.writeBytes(body), now);
    }

    /** A delivery carrying {@code event} as given (the latency probes change the record first). */
    public Delivery delivery(ObjectNode event, String deliveryId, Instant now) {
        ObjectNode body = SyncJson.object().put("type", "changes").put("delivery_id", deliveryId);
        body.putArray("events").add(event);
        return sign(SyncJson.writeBytes(body), now);
    }

    private Delivery sign(byte[] body, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String signature = "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        return new Delivery(body, timestamp, signature);
    }

    /** A signed body and its two headers. */
    public record Delivery(byte[] body, String timestamp, String signature) {
    }
}
