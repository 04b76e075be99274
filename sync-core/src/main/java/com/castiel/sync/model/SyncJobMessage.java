package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An inbound sync job, as sent to {@code sync-inbound-scheduled} and {@code sync-inbound-webhook}
 * (the seed's schema plus a correlation id and the trigger).
 *
 * @param integrationId integration to sync
 * @param tenantId its tenant
 * @param jobType {@code full_sync}, {@code incremental} or {@code webhook}
 * @param provider provider name
 * @param webhookPayload the verified request, for webhook jobs
 * @param entities external entities to sync; empty means every mapped entity
 * @param scheduledAt when the job was scheduled
 * @param attempt 1 for the first attempt; job-level retries re-send with {@code attempt + 1}
 * @param correlationId id that ties the job, its retries, logs and events together
 * @param triggeredBy {@code scheduler}, {@code webhook}, a user id, or {@code system}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SyncJobMessage(
        IntegrationId integrationId,
        TenantId tenantId,
        JobType jobType,
        String provider,
        WebhookPayload webhookPayload,
        List<String> entities,
        Instant scheduledAt,
        int attempt,
        String correlationId,
        String triggeredBy) {

    public SyncJobMessage {
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(jobType, "jobType");
        entities = entities == null ? List.of() : List.copyOf(entities);
        attempt = Math.max(1, attempt);
        if (jobType == JobType.WEBHOOK && webhookPayload == null) {
            throw new IllegalArgumentException("webhook jobs need a webhookPayload");
        }
    }

    /** The same job, to be retried as attempt {@code attempt + 1}. */
    public SyncJobMessage nextAttempt(Instant scheduledFor) {
        return new SyncJobMessage(integrationId, tenantId, jobType, provider, webhookPayload, entities, scheduledFor, attempt + 1, correlationId, triggeredBy);
    }

    /** The same job restarted from attempt 1 (dead-letter replay). */
    public SyncJobMessage replayed(Instant at) {
        return new SyncJobMessage(integrationId, tenantId, jobType, provider, webhookPayload, entities, at, 1, correlationId, triggeredBy);
    }
}
