package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.auth.RefreshSummary;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.schedule.TickSummary;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SyncScheduler, TokenRefresher and DeadLetterReview invoked directly. */
class TimerFunctionsTest {

    private FunctionsTestBed bed;

    @BeforeEach
    void setUp() {
        bed = new FunctionsTestBed();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void theSchedulerClaimsADueIntegrationAndQueuesItsSync() {
        Integration created = bed.connect();
        bed.integrations.update(created.withData(d -> d.withNextSyncAt(bed.clock.instant().minusSeconds(30))));

        TickSummary summary = new SyncScheduler(() -> bed.runtime).tick(new FakeExecutionContext("SyncScheduler"));

        assertThat(summary.claimed()).isEqualTo(1);
        SyncJobMessage job = SyncJson.read(bed.take(QueueSpec.INBOUND_SCHEDULED.name()).body(), SyncJobMessage.class);
        assertThat(job.integrationId()).isEqualTo(FunctionsTestBed.INTEGRATION);
        assertThat(bed.events.eventsOfType(SyncEvent.SyncScheduled.class)).hasSize(1);
        assertThat(bed.integrations.get(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION).orElseThrow().structuredData().nextSyncAt())
                .isAfter(bed.clock.instant());
    }

    @Test
    void aSecondTickInTheSameMinuteQueuesNothingMore() {
        Integration created = bed.connect();
        bed.integrations.update(created.withData(d -> d.withNextSyncAt(bed.clock.instant().minusSeconds(30))));
        SyncScheduler scheduler = new SyncScheduler(() -> bed.runtime);

        scheduler.run("{}", new FakeExecutionContext("SyncScheduler"));
        TickSummary second = scheduler.tick(new FakeExecutionContext("SyncScheduler"));

        assertThat(second.claimed()).isZero();
        assertThat(bed.queue.stats(QueueSpec.INBOUND_SCHEDULED.name()).active()).isEqualTo(1);
    }

    @Test
    void theTokenRefresherRenewsTokensThatExpireWithinTwoHours() {
        bed.connect();
        Credentials stored = bed.credentials.get(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION).orElseThrow();
        bed.credentials.put(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION,
                stored.withGrant("old-access-token", null, bed.clock.instant().plus(Duration.ofMinutes(30)), null, bed.clock.instant()));

        RefreshSummary summary = new TokenRefresher(() -> bed.runtime).refresh(new FakeExecutionContext("TokenRefresher"));

        assertThat(summary.refreshed()).isEqualTo(1);
        Credentials refreshed = bed.credentials.get(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION).orElseThrow();
        assertThat(refreshed.accessToken()).isNotEqualTo("old-access-token");
        assertThat(refreshed.expiresAt()).isAfter(bed.clock.instant().plus(Duration.ofMinutes(30)));
    }

    @Test
    void theDeadLetterReviewAnnouncesBrokerDeadLettersOnce() {
        bed.connect();
        String body = FunctionsTestBed.job(JobType.INCREMENTAL);
        bed.queue.send(QueueSpec.INBOUND_SCHEDULED.name(), OutgoingMessage.of("m-1", body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .withTimeToLive(Duration.ofMinutes(1)));
        bed.clock.advance(Duration.ofMinutes(2));
        bed.queue.receive(QueueSpec.INBOUND_SCHEDULED.name(), Duration.ZERO);
        DeadLetterReview review = new DeadLetterReview(() -> bed.runtime);

        DeadLetterReview.Review first = review.review(new FakeExecutionContext("DeadLetterReview"));
        review.run("{}", new FakeExecutionContext("DeadLetterReview"));

        assertThat(first.announced()).isEqualTo(1);
        assertThat(bed.events.eventsOfType(SyncEvent.DeadLettered.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("TTLExpiredException"));
    }
}
