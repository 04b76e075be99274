package com.castiel.sync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncFrequency;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-01T20:49:32Z");

    private final SyncSchedule schedule = new SyncSchedule();

    @Test
    void every_five_minutes_cron_fires_at_the_next_five_minute_mark() {
        assertThat(schedule.nextAfter(SyncFrequency.cron("0 */5 * * * *"), NOW)).contains(Instant.parse("2026-11-01T20:50:00Z"));
    }

    @Test
    void a_cron_slot_is_strictly_after_the_given_time() {
        Instant onTheMark = Instant.parse("2026-11-01T20:50:00Z");

        assertThat(schedule.nextAfter(SyncFrequency.cron("0 */5 * * * *"), onTheMark)).contains(Instant.parse("2026-11-01T20:55:00Z"));
    }

    @Test
    void the_seeds_other_cron_frequencies_fire_when_expected() {
        assertThat(schedule.nextAfter(SyncFrequency.cron("0 */15 * * * *"), NOW)).contains(Instant.parse("2026-11-01T21:00:00Z"));
        assertThat(schedule.nextAfter(SyncFrequency.cron("0 0 * * * *"), NOW)).contains(Instant.parse("2026-11-01T21:00:00Z"));
        assertThat(schedule.nextAfter(SyncFrequency.cron("0 0 0 * * *"), NOW)).contains(Instant.parse("2026-11-02T00:00:00Z"));
    }

    @Test
    void cron_is_evaluated_in_the_schedules_zone() {
        SyncSchedule paris = new SyncSchedule(ZoneId.of("Europe/Paris"));

        // 02:00 in Paris on 2 November (CET, UTC+1) is 01:00 UTC
        assertThat(paris.nextAfter(SyncFrequency.cron("0 0 2 * * *"), NOW)).contains(Instant.parse("2026-11-02T01:00:00Z"));
    }

    @Test
    void an_interval_fires_that_many_minutes_later() {
        assertThat(schedule.nextAfter(SyncFrequency.everyMinutes(15), NOW)).contains(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void manual_never_fires() {
        assertThat(schedule.nextAfter(SyncFrequency.manual(), NOW)).isEmpty();
        assertThat(schedule.nextSlot(SyncFrequency.manual(), null, NOW)).isEmpty();
    }

    @Test
    void an_interval_slot_keeps_its_cadence_when_the_scheduler_runs_late() {
        Instant due = Instant.parse("2026-11-01T20:45:00Z");

        assertThat(schedule.nextSlot(SyncFrequency.everyMinutes(15), due, NOW)).contains(Instant.parse("2026-11-01T21:00:00Z"));
    }

    @Test
    void missed_interval_slots_collapse_into_one_run() {
        Instant dueBeforeDowntime = Instant.parse("2026-11-01T08:00:00Z");

        Instant next = schedule.nextSlot(SyncFrequency.everyMinutes(15), dueBeforeDowntime, NOW).orElseThrow();

        assertThat(next).isEqualTo(Instant.parse("2026-11-01T21:00:00Z"));
        assertThat(next).isAfter(NOW);
    }

    @Test
    void missed_cron_slots_collapse_into_one_run() {
        Instant dueBeforeDowntime = Instant.parse("2026-11-01T08:00:00Z");

        assertThat(schedule.nextSlot(SyncFrequency.cron("0 */5 * * * *"), dueBeforeDowntime, NOW))
                .contains(Instant.parse("2026-11-01T20:50:00Z"));
    }

    @Test
    void an_interval_slot_claimed_exactly_on_time_moves_one_interval() {
        Instant due = Instant.parse("2026-11-01T20:45:00Z");

        assertThat(schedule.nextSlot(SyncFrequency.everyMinutes(15), due, due)).contains(Instant.parse("2026-11-01T21:00:00Z"));
    }

    @Test
    void a_never_scheduled_integration_starts_its_cadence_now() {
        assertThat(schedule.nextSlot(SyncFrequency.everyMinutes(15), null, NOW)).contains(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void a_bad_cron_expression_is_rejected_naming_the_field() {
        assertThatThrownBy(() -> schedule.nextAfter(SyncFrequency.cron("every five minutes"), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("syncFrequency.cronExpression")
                .hasMessageContaining("every five minutes");
        assertThatThrownBy(() -> schedule.validate(SyncFrequency.cron("0 */5 * * *")))
                .hasMessageContaining("syncFrequency.cronExpression");
        assertThatThrownBy(() -> schedule.validate(SyncFrequency.cron("0 61 * * * *")))
                .hasMessageContaining("syncFrequency.cronExpression");
    }

    @Test
    void valid_frequencies_pass_validation() {
        schedule.validate(SyncFrequency.cron("0 */5 * * * *"));
        schedule.validate(SyncFrequency.everyMinutes(1));
        schedule.validate(SyncFrequency.manual());
    }

    @Test
    void the_first_sync_of_an_integration_is_full() {
        IntegrationData neverSynced = data(SyncFrequency.everyMinutes(15), null);

        assertThat(schedule.jobTypeFor(neverSynced, NOW)).isEqualTo(JobType.FULL_SYNC);
    }

    @Test
    void later_syncs_are_incremental() {
        IntegrationData synced = data(SyncFrequency.everyMinutes(15), NOW.minus(Duration.ofDays(30)));

        assertThat(schedule.jobTypeFor(synced, NOW)).isEqualTo(JobType.INCREMENTAL);
    }

    @Test
    void a_periodic_full_reconcile_runs_once_the_last_full_sync_is_old_enough() {
        SyncFrequency daily = SyncFrequency.everyMinutes(15).withFullSyncEveryHours(24);

        assertThat(schedule.jobTypeFor(data(daily, NOW.minus(Duration.ofHours(23))), NOW)).isEqualTo(JobType.INCREMENTAL);
        assertThat(schedule.jobTypeFor(data(daily, NOW.minus(Duration.ofHours(24))), NOW)).isEqualTo(JobType.FULL_SYNC);
        assertThat(schedule.jobTypeFor(data(daily, NOW.minus(Duration.ofHours(50))), NOW)).isEqualTo(JobType.FULL_SYNC);
    }

    private static IntegrationData data(SyncFrequency frequency, Instant lastFullSyncAt) {
        return IntegrationData.of("salesforce", List.of()).withSyncFrequency(frequency).withLastFullSyncAt(lastFullSyncAt);
    }
}
