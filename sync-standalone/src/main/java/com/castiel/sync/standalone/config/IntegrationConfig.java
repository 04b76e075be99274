package com.castiel.sync.standalone.config;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.RetrySettings;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import java.util.List;
import java.util.Map;

/**
 * One integration as configured, in the seed's field names. The configuration owns these fields;
 * the sync state ({@code lastSyncAt}, {@code nextSyncAt}, {@code lastFullSyncAt}) lives in the
 * data directory and survives edits of the file.
 *
 * @param id integration id, unique in the file
 * @param tenantId owning tenant
 * @param name human-readable name, optional
 * @param provider adapter id ({@code salesforce}); becomes {@code structuredData.providerName}
 * @param status {@code active} or {@code paused}; {@code null} keeps the stored status (which the
 *     engine may have set to {@code needs_reauth}) unless the credentials changed
 * @param settings provider settings ({@code instanceUrl}, {@code loginUrl}…), never secrets
 * @param credentials initial secrets, usually {@code ${ENV_VAR}} references; stored in the
 *     encrypted vault. Written again only when the configured values change, so a refresh token
 *     the provider rotated is not overwritten by the stale one from the file at the next start.
 * @param entityMappings what is synced
 * @param pullFilters conditions on every pull
 * @param syncFrequency when scheduled syncs run
 * @param writeBack write-back settings
 * @param conflictResolution policy for fields changed on both sides
 * @param webhookEndpointKey the key in the webhook URL; generated on first start when absent
 * @param retry job retry overrides
 * @param rateLimits request limit overrides
 */
public record IntegrationConfig(
        String id,
        String tenantId,
        String name,
        String provider,
        IntegrationStatus status,
        Map<String, String> settings,
        Credentials credentials,
        List<EntityMapping> entityMappings,
        List<PullFilter> pullFilters,
        SyncFrequency syncFrequency,
        WriteBackSettings writeBack,
        ConflictResolution conflictResolution,
        String webhookEndpointKey,
        RetrySettings retry,
        RateLimitSettings rateLimits) {

    public IntegrationConfig {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        entityMappings = entityMappings == null ? List.of() : List.copyOf(entityMappings);
        pullFilters = pullFilters == null ? List.of() : List.copyOf(pullFilters);
    }

    public IntegrationId integrationId() {
        return IntegrationId.of(id);
    }

    public TenantId tenant() {
        return TenantId.of(tenantId);
    }

    /**
     * The configured fields laid over {@code stored} (the data directory's current state, or a
     * fresh one): sync state and, unless configured, status and endpoint key are kept.
     */
    public IntegrationData applyTo(IntegrationData stored, String endpointKey) {
        IntegrationData base = stored != null ? stored : IntegrationData.of(provider, List.of());
        return new IntegrationData(provider,
                status != null ? status : base.status(),
                settings, entityMappings, pullFilters, syncFrequency,
                base.lastSyncAt(), base.nextSyncAt(), base.lastFullSyncAt(),
                conflictResolution, writeBack, endpointKey, retry, rateLimits);
    }

    /** A copy with another status (used when re-authorised credentials lift {@code needs_reauth}). */
    public IntegrationConfig withStatus(IntegrationStatus newStatus) {
        return new IntegrationConfig(id, tenantId, name, provider, newStatus, settings, credentials, entityMappings, pullFilters,
                syncFrequency, writeBack, conflictResolution, webhookEndpointKey, retry, rateLimits);
    }

    /** A copy with other provider settings (the demo points an integration at its fake server). */
    public IntegrationConfig withSettings(Map<String, String> newSettings) {
        return new IntegrationConfig(id, tenantId, name, provider, status, newSettings, credentials, entityMappings, pullFilters,
                syncFrequency, writeBack, conflictResolution, webhookEndpointKey, retry, rateLimits);
    }

    public IntegrationConfig withCredentials(Credentials newCredentials) {
        return new IntegrationConfig(id, tenantId, name, provider, status, settings, newCredentials, entityMappings, pullFilters,
                syncFrequency, writeBack, conflictResolution, webhookEndpointKey, retry, rateLimits);
    }

    /** Never shows credential values. */
    @Override
    public String toString() {
        return "IntegrationConfig[id=" + id + ", tenantId=" + tenantId + ", provider=" + provider + ", credentials="
                + (credentials == null ? "none" : credentials.toString()) + "]";
    }
}
