package com.castiel.sync.event;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * A domain event. {@link #eventType()} is the Event Grid event type; {@link #subject()} the
 * Event Grid subject; the record's components are the event's {@code data}. Events carry ids and
 * counts, never secrets or record contents.
 */
public sealed interface SyncEvent {

    /** Event Grid event type, e.g. {@code Castiel.Integration.SyncCompleted}. */
    String eventType();

    /** Event Grid subject, e.g. {@code /integrations/{id}/sync}. */
    String subject();

    TenantId tenantId();

    IntegrationId integrationId();

    Instant occurredAt();

    /** A verified webhook was accepted and queued. */
    record WebhookReceived(TenantId tenantId, IntegrationId integrationId, String provider, Instant occurredAt, String correlationId)
            implements SyncEvent {
        public String eventType() {
            return "Castiel.Integration.WebhookReceived";
        }

        public String subject() {
            return "/integrations/" + provider + "/webhook";
        }
    }

    /** The scheduler claimed a due integration and queued a sync. */
    record SyncScheduled(TenantId tenantId, IntegrationId integrationId, String provider, JobType syncType, Instant occurredAt, String correlationId)
            implements SyncEvent {
        public String eventType() {
            return "Castiel.Integration.SyncScheduled";
        }

        public String subject() {
            return "/integrations/" + integrationId + "/sync";
        }
    }

    /** A sync run finished (possibly with failed records: see {@code stats.failed}). */
    record SyncCompleted(TenantId tenantId, IntegrationId integrationId, String provider, RunId runId, JobType syncType,
                         SyncStats stats, long durationMs, Instant occurredAt, String correlationId) implements SyncEvent {
        public String eventType() {
            return "Castiel.Integration.SyncCompleted";
        }

        public String subject() {
            return "/integrations/" + integrationId + "/sync";
        }
    }

    /** A sync run failed as a whole. */
    record SyncFailed(TenantId tenantId, IntegrationId integrationId, String provider, RunId runId, JobType syncType,
                      String errorCode, String error, int attempt, boolean willRetry, Instant occurredAt, String correlationId)
            implements SyncEvent {
        public String eventType() {
            return "Castiel.Integration.SyncFailed";
        }

        public String subject() {
            return "/integrations/" + integrationId + "/sync";
        }
    }

    /** A token refresh failed; {@code needsReauth} when the integration was taken out of scheduling. */
    record TokenRefreshFailed(TenantId tenantId, IntegrationId integrationId, String provider, String errorCode,
                              int consecutiveFailures, boolean needsReauth, Instant occurredAt) implements SyncEvent {
        public String eventType() {
            return "Castiel.Integration.TokenRefreshFailed";
        }

        public String subject() {
            return "/integrations/" + integrationId + "/credentials";
        }
    }

    /**
     * A message was dead-lettered: the seed's {@code SYNC_DEAD_LETTER} admin notification.
     */
    record DeadLettered(TenantId tenantId, IntegrationId integrationId, String queue, String messageId, String reason,
                        String error, int attempts, Instant occurredAt, String correlationId) implements SyncEvent {
        /** The seed's notification type. */
        public static final String NOTIFICATION_TYPE = "SYNC_DEAD_LETTER";

        public String eventType() {
            return "Castiel.Integration.DeadLettered";
        }

        public String subject() {
            return "/integrations/" + integrationId + "/deadletters";
        }
    }

    /** A write-back found fields changed on both sides and the policy is {@code manual}. */
    record ConflictDetected(TenantId tenantId, IntegrationId integrationId, String shardId, String externalId,
                            List<String> fields, Instant occurredAt, String correlationId) implements SyncEvent {
        public ConflictDetected {
            fields = List.copyOf(fields);
        }

        public String eventType() {
            return "Castiel.Integration.ConflictDetected";
        }

        public String subject() {
            return "/integrations/" + integrationId + "/conflicts";
        }
    }
}
