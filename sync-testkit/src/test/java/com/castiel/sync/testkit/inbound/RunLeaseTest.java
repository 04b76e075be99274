package com.castiel.sync.testkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.engine.InboundJobHandler;
import com.castiel.sync.engine.IntegrationBusyException;
import com.castiel.sync.engine.RunLeases;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduled runs of one integration never overlap, even across hosts sharing the store. */
class RunLeaseTest {

    private InboundFixture f;
    private InMemoryIntegrationStore integrations;
    private RunLeases leases;
    private InboundJobHandler handler;

    @BeforeEach
    void setUp() {
        f = new InboundFixture(2);
        integrations = new InMemoryIntegrationStore(f.clock);
        f.integration = integrations.create(f.integration);
        leases = new RunLeases(integrations, f.clock, RunLeases.DEFAULT_DURATION);
        handler = new InboundJobHandler(integrations, i -> f.adapter, f.inbound, new InMemoryJobQueue(f.clock),
                new RecordingEventPublisher(), f.clock, leases);
        for (int i = 0; i < 9; i++) {
            f.createAccount("Acme " + i, i);
        }
    }

    @Test
    void a_lease_is_exclusive_until_it_lapses() {
        Integration held = leases.acquire(f.integration, "host-a").orElseThrow();

        assertThat(leases.acquire(held, "host-b")).isEmpty();
        assertThat(leases.remaining(held, "host-b")).isEqualTo(RunLeases.DEFAULT_DURATION);
        f.clock.advance(RunLeases.DEFAULT_DURATION.plusSeconds(1));
        Integration taken = leases.acquire(integrations.get(held.tenantId(), held.id()).orElseThrow(), "host-b").orElseThrow();
        assertThat(leases.renew(taken, "host-a")).as("host-a lost it").isFalse();
        leases.release(taken, "host-a");
        assertThat(integrations.get(held.tenantId(), held.id()).orElseThrow().structuredData().runLease().owner()).isEqualTo("host-b");
    }

    @Test
    void a_scheduled_job_finds_the_integration_busy_while_another_host_runs_it() {
        leases.acquire(f.integration, "other-host").orElseThrow();

        assertThatThrownBy(() -> handler.handle(job(JobType.INCREMENTAL)))
                .isInstanceOfSatisfying(IntegrationBusyException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(RunLeases.DEFAULT_DURATION));
        assertThat(f.liveShards()).isEmpty();
    }

    @Test
    void webhook_jobs_are_not_held_back_by_a_running_sync() {
        leases.acquire(f.integration, "other-host").orElseThrow();
        String id = f.external.find(InboundFixture.ENTITY, r -> true).get(0).id();
        String body = "{\"changes\":[{\"entity\":\"Account\",\"id\":\"" + id + "\"}]}";
        SyncJobMessage webhook = new SyncJobMessage(f.integration.id(), f.integration.tenantId(), JobType.WEBHOOK, "store",
                new WebhookPayload("application/json", body, Map.of(), f.clock.instant()), List.of(), f.clock.instant(), 1, "w", "webhook");

        assertThat(handler.handle(webhook)).isPresent();
        assertThat(f.liveShards()).hasSize(1);
    }

    @Test
    void a_finished_run_gives_its_lease_back() {
        handler.handle(job(JobType.FULL_SYNC)).orElseThrow();

        Integration after = integrations.get(f.integration.tenantId(), f.integration.id()).orElseThrow();
        assertThat(after.structuredData().runLease()).isNull();
        assertThat(after.structuredData().lastFullSyncAt()).isNotNull();
    }

    @Test
    void a_run_that_loses_its_lease_stops_before_writing_another_page() {
        f.shards.afterWrite(n -> {
            if (n == 2) {
                // the run stalled past its lease and another host took the integration over
                f.clock.advance(RunLeases.DEFAULT_DURATION.plusMinutes(1));
                leases.acquire(integrations.get(f.integration.tenantId(), f.integration.id()).orElseThrow(), "other-host").orElseThrow();
            }
        });

        assertThatThrownBy(() -> handler.handle(job(JobType.FULL_SYNC)))
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> assertThat(e.getMessage()).contains("lost its lease"));
        assertThat(f.liveShards()).as("pages 1 and 2 only").hasSize(4);
        assertThat(integrations.get(f.integration.tenantId(), f.integration.id()).orElseThrow().structuredData().runLease().owner())
                .isEqualTo("other-host");
    }

    @Test
    void a_long_run_renews_its_lease_as_it_goes() {
        f.adapter.beforeFetch(n -> f.clock.advance(Duration.ofMinutes(4)));

        handler.handle(job(JobType.FULL_SYNC)).orElseThrow();

        assertThat(f.liveShards()).hasSize(9);
    }

    @Test
    void the_worker_puts_a_busy_job_back_for_later_without_spending_an_attempt() {
        InMemoryJobQueue queue = new InMemoryJobQueue(f.clock);
        RecordingEventPublisher events = new RecordingEventPublisher();
        InboundJobHandler busyAware = new InboundJobHandler(integrations, i -> f.adapter, f.inbound, queue, events, f.clock, leases);
        com.castiel.sync.metrics.SyncMetrics metrics = new com.castiel.sync.metrics.SyncMetrics(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), f.clock);
        com.castiel.sync.engine.InboundWorker worker = new com.castiel.sync.engine.InboundWorker(queue, integrations, busyAware,
                new com.castiel.sync.retry.JobSettlement(queue, com.castiel.sync.retry.JobFailurePolicy.withDefaults(f.clock), events, f.clock),
                new com.castiel.sync.engine.JobReporting(metrics, new com.castiel.sync.metrics.JobLog(), events, f.clock),
                new com.castiel.sync.engine.IntegrationLocks(), f.clock);
        String scheduled = com.castiel.sync.port.QueueSpec.INBOUND_SCHEDULED.name();
        queue.send(scheduled, com.castiel.sync.port.OutgoingMessage.of("job-1", com.castiel.sync.model.SyncJson.writeBytes(job(JobType.INCREMENTAL))));
        leases.acquire(f.integration, "other-host").orElseThrow();

        assertThat(worker.processOne(scheduled, Duration.ZERO)).isTrue();

        assertThat(queue.stats(scheduled).scheduled()).isEqualTo(1);
        assertThat(queue.stats(scheduled).deadLettered()).isZero();
        f.clock.advance(Duration.ofMinutes(6));
        var later = queue.receive(scheduled, Duration.ZERO).orElseThrow();
        assertThat(com.castiel.sync.model.SyncJson.read(later.body(), SyncJobMessage.class).attempt()).isEqualTo(1);
        worker.close();
    }

    private SyncJobMessage job(JobType type) {
        return new SyncJobMessage(f.integration.id(), f.integration.tenantId(), type, "store", null, List.of(),
                f.clock.instant(), 1, "c-" + type.wire(), "scheduler");
    }
}
