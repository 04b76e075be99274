package com.castiel.sync.standalone.admin;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.schedule.SyncSchedule;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What an operator sees of one integration in lists: identity, schedule, last sync and the last
 * run's counts. No secrets; the webhook path is shown because the admin views are authenticated
 * and the operator needs it to register the webhook with the provider.
 *
 * @param id integration id
 * @param tenantId tenant
 * @param name display name, may be null
 * @param provider provider id
 * @param status {@code active}, {@code paused} or {@code needs_reauth}
 * @param syncFrequency schedule
 * @param lastSyncAt last successful sync
 * @param nextSyncAt next scheduled slot, {@code null} when none (manual)
 * @param lastFullSyncAt last complete full scan
 * @param writeBack whether write-back is on
 * @param webhookPath path webhooks are received on, {@code null} before a key exists
 * @param lastRun the newest run in the history, may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrationSummary(String id, String tenantId, String name, String provider, String status,
                                 SyncFrequency syncFrequency, Instant lastSyncAt, Instant nextSyncAt, Instant lastFullSyncAt,
                                 boolean writeBack, String webhookPath, SyncRun lastRun) {

    static IntegrationSummary of(Integration integration, SyncRun lastRun) {
        IntegrationData d = integration.structuredData();
        Instant next = d.nextSyncAt() != null && d.nextSyncAt().equals(SyncSchedule.NEVER) ? null : d.nextSyncAt();
        String path = d.webhookEndpointKey() == null ? null : "/webhooks/" + d.providerName() + "/" + d.webhookEndpointKey();
        return new IntegrationSummary(integration.id().value(), integration.tenantId().value(), integration.name(), d.providerName(),
                d.status().wire(), d.syncFrequency(), d.lastSyncAt(), next, d.lastFullSyncAt(), d.writeBack().enabled(), path, lastRun);
    }
}
