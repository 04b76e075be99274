package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * Durable incremental-sync position of one entity of one integration, advanced only after the
 * records up to it were durably written.
 *
 * @param tenantId tenant
 * @param integrationId integration
 * @param entity external entity
 * @param watermark highest (stamp, id) applied; {@code null} before the first sync
 * @param deletedWatermark deletion time up to which the delete feed was applied
 * @param deltaToken delta token for {@code DELTA} providers
 * @param lastFullScanAt when the last verified complete full scan of this entity finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntitySyncState(
        TenantId tenantId,
        IntegrationId integrationId,
        String entity,
        Watermark watermark,
        Instant deletedWatermark,
        String deltaToken,
        Instant lastFullScanAt) {

    public EntitySyncState {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(entity, "entity");
    }

    public static EntitySyncState initial(TenantId tenant, IntegrationId integration, String entity) {
        return new EntitySyncState(tenant, integration, entity, null, null, null, null);
    }

    public EntitySyncState withWatermark(Watermark w) {
        return new EntitySyncState(tenantId, integrationId, entity, w, deletedWatermark, deltaToken, lastFullScanAt);
    }

    public EntitySyncState withDeletedWatermark(Instant w) {
        return new EntitySyncState(tenantId, integrationId, entity, watermark, w, deltaToken, lastFullScanAt);
    }

    public EntitySyncState withDeltaToken(String token) {
        return new EntitySyncState(tenantId, integrationId, entity, watermark, deletedWatermark, token, lastFullScanAt);
    }

    public EntitySyncState withLastFullScanAt(Instant at) {
        return new EntitySyncState(tenantId, integrationId, entity, watermark, deletedWatermark, deltaToken, at);
    }
}
