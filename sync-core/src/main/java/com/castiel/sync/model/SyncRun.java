package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One sync run in the history.
 *
 * @param id run id
 * @param integrationId integration
 * @param tenantId tenant
 * @param jobType what kind of run
 * @param status outcome; {@code partial} means it finished with failed records
 * @param startedAt start time
 * @param finishedAt end time, {@code null} while running
 * @param stats counts
 * @param error failure text for failed runs
 * @param recordErrors the first failed records (bounded)
 * @param correlationId correlation id of the job
 * @param attempt job attempt this run belongs to
 * @param resumed true when the run resumed from a checkpoint left by a crashed run
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SyncRun(
        RunId id,
        IntegrationId integrationId,
        TenantId tenantId,
        JobType jobType,
        RunStatus status,
        Instant startedAt,
        Instant finishedAt,
        SyncStats stats,
        String error,
        List<RecordError> recordErrors,
        String correlationId,
        int attempt,
        boolean resumed) {

    public SyncRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        stats = stats == null ? SyncStats.EMPTY : stats;
        recordErrors = recordErrors == null ? List.of() : List.copyOf(recordErrors);
    }

    public Duration duration() {
        return finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }

    public SyncRun finished(RunStatus outcome, Instant at, SyncStats finalStats, String failure, List<RecordError> errors) {
        return new SyncRun(id, integrationId, tenantId, jobType, outcome, startedAt, at, finalStats, failure, errors, correlationId, attempt, resumed);
    }
}
