package com.castiel.sync.testkit.jobs;

import static com.castiel.sync.testkit.jobs.Jobs.TENANT;
import static com.castiel.sync.testkit.jobs.Jobs.integration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.schedule.SyncSchedule;
import com.castiel.sync.schedule.SyncScheduler;
import com.castiel.sync.schedule.TickSummary;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncSchedulerTest {

    private static final String SCHEDULED = QueueSpec.INBOUND_SCHEDULED.name();

    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final InMemoryIntegrationStore store = new InMemoryIntegrationStore(clock);
    private final ObservedJobQueue queue = new ObservedJobQueue(new InMemoryJobQueue(clock));
    private final RecordingEventPublisher events = new RecordingEventPublisher();
    private final SyncScheduler scheduler = new SyncScheduler(store, queue, events, new SyncSchedule(), clock, 100);

    @Test
    void a_new_integration_gets_a_full_sync_on_the_first_tick() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(15)));

        TickSummary summary = scheduler.tick();

        assertThat(summary.claimed()).isEqualTo(1);
        List<LockedMessage> messages = Jobs.receiveAll(queue, SCHEDULED);
        assertThat(messages).singleElement().satisfies(m -> {
            SyncJobMessage job = Jobs.decodeSyncJob(m);
            assertThat(job.integrationId()).isEqualTo(IntegrationId.of("int-1"));
            assertThat(job.tenantId()).isEqualTo(TENANT);
            assertThat(job.jobType()).isEqualTo(JobType.FULL_SYNC);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.triggeredBy()).isEqualTo("scheduler");
            assertThat(job.provider()).isEqualTo("salesforce");
            assertThat(job.correlationId()).isNotBlank().isEqualTo(m.correlationId());
            assertThat(m.properties()).containsEntry("integrationId", "int-1").containsEntry("jobType", "full_sync");
        });
    }

    @Test
    void a_claimed_sync_is_announced() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(15)));

        scheduler.tick();

        SyncJobMessage job = Jobs.decodeSyncJob(Jobs.receiveAll(queue, SCHEDULED).get(0));
        assertThat(events.eventsOfType(SyncEvent.SyncScheduled.class)).singleElement().isEqualTo(
                new SyncEvent.SyncScheduled(TENANT, IntegrationId.of("int-1"), "salesforce", JobType.FULL_SYNC, clock.instant(), job.correlationId()));
    }

    @Test
    void a_claim_moves_next_sync_at_to_the_next_slot() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(15)));

        scheduler.tick();

        assertThat(nextSyncAt("int-1")).isEqualTo(Instant.parse("2026-11-01T10:15:00Z"));
    }

    @Test
    void a_second_tick_before_the_next_slot_enqueues_nothing() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(15)));
        scheduler.tick();
        clock.advance(Duration.ofMinutes(1));

        TickSummary second = scheduler.tick();

        assertThat(second).isEqualTo(TickSummary.EMPTY);
        assertThat(queue.sends()).hasSize(1);
    }

    @Test
    void after_a_full_sync_the_next_slot_is_incremental() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(15)).withData(d -> d.withLastFullSyncAt(clock.instant().minusSeconds(60))));

        scheduler.tick();

        assertThat(Jobs.decodeSyncJob(Jobs.receiveAll(queue, SCHEDULED).get(0)).jobType()).isEqualTo(JobType.INCREMENTAL);
    }

    @Test
    void an_old_full_sync_turns_the_slot_into_a_full_reconcile() {
        SyncFrequency withReconcile = SyncFrequency.everyMinutes(15).withFullSyncEveryHours(24);
        store.create(integration("int-1", withReconcile).withData(d -> d.withLastFullSyncAt(clock.instant().minus(Duration.ofHours(25)))));

        scheduler.tick();

        assertThat(Jobs.decodeSyncJob(Jobs.receiveAll(queue, SCHEDULED).get(0)).jobType()).isEqualTo(JobType.FULL_SYNC);
    }

    @Test
    void cron_integrations_are_claimed_into_their_next_cron_slot() {
        store.create(integration("int-1", SyncFrequency.cron("0 */5 * * * *")));
        clock.set(Instant.parse("2026-11-01T20:49:32Z"));

        scheduler.tick();

        assertThat(nextSyncAt("int-1")).isEqualTo(Instant.parse("2026-11-01T20:50:00Z"));
    }

    @Test
    void slots_missed_during_downtime_produce_one_run() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(5)));
        scheduler.tick();
        Jobs.receiveAll(queue, SCHEDULED).forEach(queue::complete);

        clock.advance(Duration.ofHours(6).plusSeconds(30));
        TickSummary afterDowntime = scheduler.tick();
        TickSummary next = scheduler.tick();

        assertThat(afterDowntime.claimed()).isEqualTo(1);
        assertThat(next.claimed()).isZero();
        assertThat(Jobs.receiveAll(queue, SCHEDULED)).hasSize(1);
        assertThat(nextSyncAt("int-1")).isEqualTo(Instant.parse("2026-11-01T16:05:00Z"));
    }

    @Test
    void paused_and_reauth_integrations_are_never_scheduled() {
        store.create(integration("paused", SyncFrequency.everyMinutes(5)).withData(d -> d.withStatus(IntegrationStatus.PAUSED)));
        store.create(integration("reauth", SyncFrequency.everyMinutes(5)).withData(d -> d.withStatus(IntegrationStatus.NEEDS_REAUTH)));

        scheduler.tick();
        clock.advance(Duration.ofHours(1));
        scheduler.tick();

        assertThat(queue.sends()).isEmpty();
        assertThat(nextSyncAt("paused")).isNull();
        assertThat(nextSyncAt("reauth")).isNull();
    }

    @Test
    void manual_integrations_are_parked_without_a_sync() {
        store.create(integration("manual", SyncFrequency.manual()));

        TickSummary summary = scheduler.tick();

        assertThat(summary.parked()).isEqualTo(1);
        assertThat(summary.claimed()).isZero();
        assertThat(queue.sends()).isEmpty();
        assertThat(nextSyncAt("manual")).isEqualTo(SyncSchedule.NEVER);
    }

    @Test
    void parked_manual_integrations_do_not_crowd_out_due_ones() {
        SyncScheduler smallBatches = new SyncScheduler(store, queue, events, new SyncSchedule(), clock, 2);
        store.create(integration("a-manual", SyncFrequency.manual()));
        store.create(integration("b-manual", SyncFrequency.manual()));
        store.create(integration("c-interval", SyncFrequency.everyMinutes(5)));

        smallBatches.tick();
        TickSummary second = smallBatches.tick();

        assertThat(second.claimed()).isEqualTo(1);
    }

    @Test
    void a_tick_claims_at_most_its_batch_size() {
        SyncScheduler smallBatches = new SyncScheduler(store, queue, events, new SyncSchedule(), clock, 3);
        for (int i = 0; i < 7; i++) {
            store.create(integration("int-" + i, SyncFrequency.everyMinutes(5)));
        }

        assertThat(smallBatches.tick().claimed()).isEqualTo(3);
        assertThat(smallBatches.tick().claimed()).isEqualTo(3);
        assertThat(smallBatches.tick().claimed()).isEqualTo(1);
    }

    @Test
    void a_failed_enqueue_rolls_the_claim_back_for_the_next_tick() {
        store.create(integration("int-1", SyncFrequency.everyMinutes(15)));
        queue.failSends(new IllegalStateException("broker unavailable"));

        TickSummary failed = scheduler.tick();
        queue.heal();
        TickSummary retried = scheduler.tick();

        assertThat(failed.failed()).isEqualTo(1);
        assertThat(retried.claimed()).isEqualTo(1);
        assertThat(Jobs.receiveAll(queue, SCHEDULED)).hasSize(1);
        assertThat(nextSyncAt("int-1")).isEqualTo(Instant.parse("2026-11-01T10:15:00Z"));
    }

    @Test
    void a_store_failure_on_one_integration_does_not_stop_the_others() {
        store.create(integration("a-broken", SyncFrequency.everyMinutes(15)));
        store.create(integration("b-fine", SyncFrequency.everyMinutes(15)));
        SyncScheduler overFlakyStore = new SyncScheduler(new UpdateFailingStore(store, "a-broken"), queue, events, new SyncSchedule(), clock, 100);

        TickSummary summary = overFlakyStore.tick();

        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.claimed()).isEqualTo(1);
        assertThat(queue.sends()).singleElement().satisfies(m -> assertThat(m.properties()).containsEntry("integrationId", "b-fine"));
    }

    @Test
    void an_unparseable_cron_is_deferred_instead_of_blocking_every_tick() {
        store.create(integration("bad", SyncFrequency.cron("every now and then")));

        TickSummary summary = scheduler.tick();

        assertThat(summary.failed()).isEqualTo(1);
        assertThat(queue.sends()).isEmpty();
        assertThat(nextSyncAt("bad")).isEqualTo(clock.instant().plus(SyncScheduler.INVALID_FREQUENCY_DEFERRAL));
    }

    @Test
    void the_message_id_is_the_same_for_the_same_slot_and_differs_between_slots() {
        IntegrationId id = IntegrationId.of("int-1");
        Instant slot = Instant.parse("2026-11-01T10:15:00Z");

        assertThat(SyncScheduler.slotMessageId(id, slot, 3)).isEqualTo(SyncScheduler.slotMessageId(id, slot, 4));
        assertThat(SyncScheduler.slotMessageId(id, slot, 3)).isNotEqualTo(SyncScheduler.slotMessageId(id, slot.plusSeconds(900), 3));
        assertThat(SyncScheduler.slotMessageId(id, slot, 3)).isNotEqualTo(SyncScheduler.slotMessageId(IntegrationId.of("int-2"), slot, 3));
    }

    @Test
    void a_requested_sync_runs_a_manual_integration_now_and_keeps_it_parked() {
        store.create(integration("manual", SyncFrequency.manual()));
        scheduler.tick();

        SyncJobMessage job = scheduler.requestSync(TENANT, IntegrationId.of("manual"), null, "user-7");

        assertThat(job.jobType()).isEqualTo(JobType.FULL_SYNC);
        assertThat(job.triggeredBy()).isEqualTo("user-7");
        assertThat(Jobs.receiveAll(queue, SCHEDULED)).singleElement()
                .satisfies(m -> assertThat(Jobs.decodeSyncJob(m)).isEqualTo(job));
        assertThat(nextSyncAt("manual")).isEqualTo(SyncSchedule.NEVER);
    }

    @Test
    void a_sync_cannot_be_requested_for_a_paused_integration() {
        store.create(integration("paused", SyncFrequency.manual()).withData(d -> d.withStatus(IntegrationStatus.PAUSED)));

        assertThatThrownBy(() -> scheduler.requestSync(TENANT, IntegrationId.of("paused"), JobType.INCREMENTAL, "user-7"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("paused");
        assertThat(queue.sends()).isEmpty();
    }

    /** A real store whose updates of one integration fail as an unavailable database would. */
    private record UpdateFailingStore(IntegrationStore delegate, String failingId) implements IntegrationStore {
        public Optional<Integration> get(TenantId tenant, IntegrationId id) {
            return delegate.get(tenant, id);
        }

        public Optional<Integration> findByEndpointKey(String endpointKey) {
            return delegate.findByEndpointKey(endpointKey);
        }

        public Integration create(Integration integration) {
            return delegate.create(integration);
        }

        public Integration update(Integration integration) {
            if (integration.id().value().equals(failingId)) {
                throw new java.io.UncheckedIOException(new java.io.IOException("database unavailable"));
            }
            return delegate.update(integration);
        }

        public List<Integration> findDue(Instant now, int limit) {
            return delegate.findDue(now, limit);
        }

        public List<Integration> list(TenantId tenant) {
            return delegate.list(tenant);
        }

        public List<Integration> listAll(IntegrationId afterId, int limit) {
            return delegate.listAll(afterId, limit);
        }

        public void delete(TenantId tenant, IntegrationId id) {
            delegate.delete(tenant, id);
        }
    }

    private Instant nextSyncAt(String id) {
        Integration i = store.get(TENANT, IntegrationId.of(id)).orElseThrow();
        return i.structuredData().nextSyncAt();
    }
}
