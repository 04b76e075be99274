package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * When an integration is synced.
 *
 * @param type {@code interval}, {@code cron} or {@code manual}
 * @param intervalMinutes minutes between syncs, for {@code interval}
 * @param cronExpression six-field cron with seconds ({@code 0 *}{@code /5 * * * *}), for {@code cron}
 * @param fullSyncEveryHours when set, an incremental slot is turned into a full reconcile if the
 *     last complete full sync is older than this many hours
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncFrequency(FrequencyType type, Integer intervalMinutes, String cronExpression, Integer fullSyncEveryHours) {

    public SyncFrequency {
        Objects.requireNonNull(type, "syncFrequency.type");
        if (type == FrequencyType.INTERVAL && (intervalMinutes == null || intervalMinutes < 1)) {
            throw new IllegalArgumentException("syncFrequency.intervalMinutes must be a positive number of minutes");
        }
        if (type == FrequencyType.CRON && (cronExpression == null || cronExpression.isBlank())) {
            throw new IllegalArgumentException("syncFrequency.cronExpression is required when type is cron");
        }
        if (fullSyncEveryHours != null && fullSyncEveryHours < 1) {
            throw new IllegalArgumentException("syncFrequency.fullSyncEveryHours must be at least 1");
        }
    }

    public static SyncFrequency everyMinutes(int minutes) {
        return new SyncFrequency(FrequencyType.INTERVAL, minutes, null, null);
    }

    public static SyncFrequency cron(String expression) {
        return new SyncFrequency(FrequencyType.CRON, null, expression, null);
    }

    public static SyncFrequency manual() {
        return new SyncFrequency(FrequencyType.MANUAL, null, null, null);
    }

    public SyncFrequency withFullSyncEveryHours(Integer hours) {
        return new SyncFrequency(type, intervalMinutes, cronExpression, hours);
    }
}
