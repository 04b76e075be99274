package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code structuredData} of an integration document, in the seed's field names.
 *
 * @param providerName adapter id, e.g. {@code salesforce}
 * @param status scheduling state
 * @param settings provider settings ({@code instanceUrl}, {@code loginUrl}, {@code orgId}…);
 *     never secrets, which live in the credential store
 * @param entityMappings what is synced
 * @param pullFilters conditions applied to every pull
 * @param syncFrequency when scheduled syncs run
 * @param lastSyncAt when the last successful sync finished
 * @param nextSyncAt when the scheduler next considers the integration due; {@code null} means now
 * @param lastFullSyncAt when the last complete full scan finished; {@code null} forces a full sync
 * @param conflictResolution policy for fields changed on both sides
 * @param writeBack write-back settings
 * @param webhookEndpointKey unguessable key in the integration's webhook URL
 * @param retry retry overrides
 * @param rateLimits request-limit overrides
 * @param runLease the claim of the scheduled run in progress, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrationData(
        String providerName,
        IntegrationStatus status,
        Map<String, String> settings,
        List<EntityMapping> entityMappings,
        List<PullFilter> pullFilters,
        SyncFrequency syncFrequency,
        Instant lastSyncAt,
        Instant nextSyncAt,
        Instant lastFullSyncAt,
        ConflictResolution conflictResolution,
        WriteBackSettings writeBack,
        String webhookEndpointKey,
        RetrySettings retry,
        RateLimitSettings rateLimits,
        RunLease runLease) {

    public IntegrationData {
        Objects.requireNonNull(providerName, "providerName");
        status = status == null ? IntegrationStatus.ACTIVE : status;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        entityMappings = entityMappings == null ? List.of() : List.copyOf(entityMappings);
        pullFilters = pullFilters == null ? List.of() : List.copyOf(pullFilters);
        syncFrequency = syncFrequency == null ? SyncFrequency.manual() : syncFrequency;
        conflictResolution = conflictResolution == null ? ConflictResolution.NEWEST_WINS : conflictResolution;
        writeBack = writeBack == null ? WriteBackSettings.disabled() : writeBack;
    }

    /** Without a run lease (configuration as written by operators). */
    public IntegrationData(String providerName, IntegrationStatus status, Map<String, String> settings,
                           List<EntityMapping> entityMappings, List<PullFilter> pullFilters, SyncFrequency syncFrequency,
                           Instant lastSyncAt, Instant nextSyncAt, Instant lastFullSyncAt, ConflictResolution conflictResolution,
                           WriteBackSettings writeBack, String webhookEndpointKey, RetrySettings retry, RateLimitSettings rateLimits) {
        this(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt,
                conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, null);
    }

    /** A minimal active configuration; the other fields take their defaults. */
    public static IntegrationData of(String providerName, List<EntityMapping> mappings) {
        return new IntegrationData(providerName, null, null, mappings, null, null, null, null, null, null, null, null, null, null);
    }

    public IntegrationData withStatus(IntegrationStatus v) {
        return new IntegrationData(providerName, v, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withSettings(Map<String, String> v) {
        return new IntegrationData(providerName, status, v, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withEntityMappings(List<EntityMapping> v) {
        return new IntegrationData(providerName, status, settings, v, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withPullFilters(List<PullFilter> v) {
        return new IntegrationData(providerName, status, settings, entityMappings, v, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withSyncFrequency(SyncFrequency v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, v, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withLastSyncAt(Instant v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, v, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withNextSyncAt(Instant v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, v, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withLastFullSyncAt(Instant v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, v, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withConflictResolution(ConflictResolution v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, v, writeBack, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withWriteBack(WriteBackSettings v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, v, webhookEndpointKey, retry, rateLimits, runLease);
    }

    public IntegrationData withWebhookEndpointKey(String v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, v, retry, rateLimits, runLease);
    }

    public IntegrationData withRetry(RetrySettings v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, v, rateLimits, runLease);
    }

    public IntegrationData withRateLimits(RateLimitSettings v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, v, runLease);
    }

    /** Every field but the webhook endpoint key, which works like a password for the webhook URL. */
    @Override
    public String toString() {
        return "IntegrationData[providerName=" + providerName + ", status=" + status + ", settings=" + settings
                + ", entityMappings=" + entityMappings + ", pullFilters=" + pullFilters + ", syncFrequency=" + syncFrequency
                + ", lastSyncAt=" + lastSyncAt + ", nextSyncAt=" + nextSyncAt + ", lastFullSyncAt=" + lastFullSyncAt
                + ", conflictResolution=" + conflictResolution + ", writeBack=" + writeBack
                + ", webhookEndpointKey=" + (webhookEndpointKey == null ? "none" : "***") + ", retry=" + retry + ", rateLimits=" + rateLimits + "]";
    }

    public IntegrationData withRunLease(RunLease v) {
        return new IntegrationData(providerName, status, settings, entityMappings, pullFilters, syncFrequency, lastSyncAt, nextSyncAt, lastFullSyncAt, conflictResolution, writeBack, webhookEndpointKey, retry, rateLimits, v);
    }
}
