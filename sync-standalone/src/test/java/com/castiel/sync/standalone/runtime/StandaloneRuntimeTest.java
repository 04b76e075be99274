package com.castiel.sync.standalone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.config.WorkerSettings;
import com.castiel.sync.standalone.server.AdminToken;
import com.castiel.sync.standalone.support.Http;
import com.castiel.sync.standalone.support.Poll;
import com.castiel.sync.standalone.support.ReferenceFixture;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneRuntimeTest {

    private static final TenantId TENANT = TenantId.of(ReferenceFixture.TENANT);
    private static final IntegrationId INTEGRATION = IntegrationId.of(ReferenceFixture.INTEGRATION);

    @TempDir
    Path dataDir;

    private ReferenceFixture fixture;
    private StandaloneRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.stop();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private StandaloneRuntime start(StandaloneConfig config) {
        DataStorage storage = DataStorage.open(dataDir, Clock.systemUTC());
        return StandaloneRuntime.start(config, storage, AdminToken.loadOrCreate(dataDir),
                RuntimeOptions.defaults().withPollWait(Duration.ofMillis(100)));
    }

    private long shardCount() {
        return runtime.storage().shards().count(TENANT, ReferenceFixture.SHARD_TYPE);
    }

    @Test
    void theFirstSchedulerTickRunsAFullSyncOfEveryRecord() {
        fixture = new ReferenceFixture(450);
        runtime = start(fixture.config(dataDir));

        Poll.until(Duration.ofSeconds(60), "450 shards", () -> shardCount() == 450);
        Poll.until(Duration.ofSeconds(10), "a recorded sync", () -> runtime.admin().summary(ReferenceFixture.INTEGRATION).lastSyncAt() != null);
        assertThat(runtime.admin().history(ReferenceFixture.INTEGRATION, 1).get(0).stats().created()).isEqualTo(450);
    }

    @Test
    void aVerifiedWebhookUpdatesTheShardThroughTheWorkers() {
        fixture = new ReferenceFixture(5);
        runtime = start(fixture.config(dataDir));
        Poll.until(Duration.ofSeconds(30), "the full sync", () -> shardCount() == 5);
        StoredRecord changed = fixture.server().store().update("contacts", fixture.live().get(0).id(),
                com.castiel.sync.model.SyncJson.object().put("name", "Renamed By Webhook"));
        WebhookDelivery d = fixture.server().webhookFor(List.of(changed));
        Map<String, String> headers = new HashMap<>(d.headers());

        int status = Http.send("POST", runtime.baseUri().resolve("/webhooks/reference/" + ReferenceFixture.ENDPOINT_KEY), headers, d.body())
                .statusCode();

        assertThat(status).isEqualTo(202);
        Poll.until(Duration.ofSeconds(30), "the renamed shard", () -> runtime.admin()
                .shardByExternalId(ReferenceFixture.INTEGRATION, "contacts", changed.id())
                .map(s -> s.structuredData().path("name").asText().equals("Renamed By Webhook")).orElse(false));
    }

    @Test
    void aStopPastTheGraceReleasesTheRunningSyncAndTheNextStartFinishesItWithoutDuplicates() {
        fixture = new ReferenceFixture(1000);
        // every page of the scan is slow, so the stop lands in the middle of the sync
        fixture.server().faults().randomly(1.0, 7L, RequestMatcher.call("GET", "/v1/contacts"), Fault.slowBody(Duration.ofMillis(400)));
        StandaloneConfig config = fixture.config(dataDir).withWorkers(new WorkerSettings(1, 5, 0, 2));
        runtime = start(config);
        Poll.until(Duration.ofSeconds(60), "part of the sync", () -> shardCount() >= 200);

        runtime.stop();
        assertThat(runtime.storage().shards()).isNotNull();
        fixture.server().faults().clear();
        runtime = start(config);

        Poll.until(Duration.ofSeconds(60), "every record", () -> shardCount() == 1000);
        Set<String> linked = new HashSet<>();
        for (StoredRecord r : fixture.live()) {
            Shard s = runtime.storage().shards().findByExternalIds(TENANT, INTEGRATION, "contacts", List.of(r.id())).get(r.id());
            assertThat(s).as("shard of %s", r.id()).isNotNull();
            linked.add(s.id().value());
        }
        assertThat(linked).hasSize(1000);
    }

    @Test
    void stopClosesTheDatabaseSoTheDirectoryCanBeOpenedAgain() {
        fixture = new ReferenceFixture(1);
        runtime = start(fixture.config(dataDir));

        runtime.stop();

        try (DataStorage again = DataStorage.open(dataDir, Clock.systemUTC())) {
            assertThat(again.integrations().get(TENANT, INTEGRATION)).isPresent();
        }
        assertThat(runtime.isStopping()).isTrue();
    }

    @Test
    void healthTurnsToStoppingOnceAStopBegins() {
        fixture = new ReferenceFixture(1);
        runtime = start(fixture.config(dataDir));
        assertThat(Http.get(runtime.baseUri().resolve("/health"), null).statusCode()).isEqualTo(200);

        Thread stopper = Thread.ofVirtual().start(runtime::stop);

        Poll.until(Duration.ofSeconds(10), "stop", () -> runtime.isStopping());
        try {
            stopper.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(runtime.awaitStopped(Duration.ofSeconds(1))).isTrue();
    }
}
