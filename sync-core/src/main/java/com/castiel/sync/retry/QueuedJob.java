package com.castiel.sync.retry;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job as it travels through a queue: an inbound {@link SyncJobMessage} or an outbound
 * {@link WriteBackMessage}, seen through what retries and dead-letter handling need (identity,
 * attempt, correlation id, how to make the next attempt or a replay).
 *
 * <p>Immutable.
 */
public sealed interface QueuedJob {

    /** Application property names the engine sets on job messages (for filtering and for dead letters that cannot be decoded). */
    String PROPERTY_TENANT_ID = "tenantId";
    String PROPERTY_INTEGRATION_ID = "integrationId";
    String PROPERTY_JOB_TYPE = "jobType";
    String PROPERTY_OPERATION = "operation";

    TenantId tenantId();

    IntegrationId integrationId();

    /** Provider name, possibly {@code null} on hand-made inbound messages. */
    String provider();

    int attempt();

    /** Correlation id, possibly {@code null} on hand-made messages. */
    String correlationId();

    /** The same job as attempt {@code attempt() + 1}, scheduled for {@code at}. */
    QueuedJob nextAttempt(Instant at);

    /** The same job restarted at attempt 1 (dead-letter replay) at {@code at}. */
    QueuedJob replayed(Instant at);

    /** The JSON body. */
    default byte[] toBytes() {
        return SyncJson.writeBytes(message());
    }

    /** The wrapped message. */
    Object message();

    /** Application properties describing the job (ids and job type or operation; not the attempt, which a dead-letter replay rewrites in the body only). */
    Map<String, String> properties();

    static QueuedJob of(SyncJobMessage message) {
        return new Inbound(message);
    }

    static QueuedJob of(WriteBackMessage message) {
        return new Outbound(message);
    }

    /**
     * Decodes a queue body: a document with {@code shardId} is a {@link WriteBackMessage}, one
     * with {@code jobType} a {@link SyncJobMessage}.
     *
     * @throws IllegalArgumentException naming what is wrong when the body is neither
     */
    static QueuedJob decode(byte[] body) {
        Objects.requireNonNull(body, "body");
        JsonNode tree = SyncJson.tree(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        if (!tree.isObject()) {
            throw new IllegalArgumentException("job body must be a JSON object");
        }
        try {
            if (tree.has("shardId")) {
                return new Outbound(SyncJson.mapper().treeToValue(tree, WriteBackMessage.class));
            }
            if (tree.has("jobType")) {
                return new Inbound(SyncJson.mapper().treeToValue(tree, SyncJobMessage.class));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("invalid job body: " + e.getOriginalMessage(), e);
        }
        throw new IllegalArgumentException("job body is neither a SyncJobMessage (no jobType) nor a WriteBackMessage (no shardId)");
    }

    /** An inbound sync job. */
    record Inbound(SyncJobMessage message) implements QueuedJob {
        public Inbound {
            Objects.requireNonNull(message, "message");
        }

        public TenantId tenantId() {
            return message.tenantId();
        }

        public IntegrationId integrationId() {
            return message.integrationId();
        }

        public String provider() {
            return message.provider();
        }

        public int attempt() {
            return message.attempt();
        }

        public String correlationId() {
            return message.correlationId();
        }

        public Inbound nextAttempt(Instant at) {
            return new Inbound(message.nextAttempt(at));
        }

        public Inbound replayed(Instant at) {
            return new Inbound(message.replayed(at));
        }

        public Map<String, String> properties() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put(PROPERTY_TENANT_ID, message.tenantId().value());
            p.put(PROPERTY_INTEGRATION_ID, message.integrationId().value());
            p.put(PROPERTY_JOB_TYPE, message.jobType().wire());
            return p;
        }
    }

    /** An outbound write-back. */
    record Outbound(WriteBackMessage message) implements QueuedJob {
        public Outbound {
            Objects.requireNonNull(message, "message");
        }

        public TenantId tenantId() {
            return message.tenantId();
        }

        public IntegrationId integrationId() {
            return message.integrationId();
        }

        public String provider() {
            return message.externalSystem();
        }

        public int attempt() {
            return message.attempt();
        }

        public String correlationId() {
            return message.correlationId();
        }

        /** Write-back messages carry no schedule time; {@code at} only sets the enqueue time. */
        public Outbound nextAttempt(Instant at) {
            return new Outbound(message.nextAttempt());
        }

        public Outbound replayed(Instant at) {
            return new Outbound(message.replayed());
        }

        public Map<String, String> properties() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put(PROPERTY_TENANT_ID, message.tenantId().value());
            p.put(PROPERTY_INTEGRATION_ID, message.integrationId().value());
            p.put(PROPERTY_OPERATION, message.operation().wire());
            return p;
        }
    }
}
