package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * Where an unfinished run stands, saved after every durably written page so a crashed run
 * resumes instead of starting over. At most one per integration.
 *
 * @param tenantId tenant
 * @param integrationId integration
 * @param runId the run that wrote it
 * @param jobType the run's job type
 * @param entity entity being scanned
 * @param phase {@code records}, {@code deletes} or {@code sweep}
 * @param cursor provider cursor for the next page, {@code null} at a phase start
 * @param watermark highest (stamp, id) durably written in this scan
 * @param pages pages written so far in this run
 * @param stats counts so far in this run
 * @param updatedAt when it was saved
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncCheckpoint(
        TenantId tenantId,
        IntegrationId integrationId,
        RunId runId,
        JobType jobType,
        String entity,
        String phase,
        String cursor,
        Watermark watermark,
        long pages,
        SyncStats stats,
        Instant updatedAt) {

    public SyncCheckpoint {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(phase, "phase");
        stats = stats == null ? SyncStats.EMPTY : stats;
    }
}
