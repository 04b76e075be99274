package com.castiel.sync.standalone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.QueuedJob;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.support.Cli;
import com.castiel.sync.standalone.support.ReferenceFixture;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneCliTest {

    @TempDir
    Path dir;

    private ReferenceFixture fixture;
    private Path config;
    private Path dataDir;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ReferenceFixture(120);
        dataDir = dir.resolve("data");
        config = dir.resolve("standalone.yaml");
        var c = fixture.connectCredentials();
        Files.writeString(config, """
                dataDir: data
                integrations:
                  - id: %s
                    tenantId: %s
                    provider: reference
                    settings: { baseUrl: "%s" }
                    credentials:
                      refreshToken: ${REF_REFRESH_TOKEN}
                      properties:
                        client_id: %s
                        client_secret: ${REF_CLIENT_SECRET}
                        webhook_secret: %s
                    entityMappings:
                      - externalEntity: contacts
                        shardTypeId: person
                        fieldMappings:
                          - { externalField: name, shardField: name }
                          - { externalField: email, shardField: email }
                    syncFrequency: { type: interval, intervalMinutes: 60 }
                """.formatted(ReferenceFixture.INTEGRATION, ReferenceFixture.TENANT, fixture.server().baseUrl(),
                c.properties().get("client_id"), c.properties().get("webhook_secret")));
        env = Map.of("REF_REFRESH_TOKEN", c.refreshToken(), "REF_CLIENT_SECRET", c.properties().get("client_secret"));
    }

    private Map<String, String> env;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Cli.Result cli(String... args) {
        return Cli.run(env, args);
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = cli();

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("name a command").contains("demo").contains("sync");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(cli("sync", "--bogus").status()).isEqualTo(2);
    }

    @Test
    void aBadConfigurationExitsWith2NamingTheFileAndKey() throws Exception {
        Files.writeString(config, Files.readString(config).replace("intervalMinutes: 60", "intervalMinutes: 0"));

        Cli.Result r = cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION);

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(config + ": integrations[0].syncFrequency.intervalMinutes: must be a positive number of minutes");
    }

    @Test
    void anUnsetVariableExitsWith2() {
        Cli.Result r = Cli.run(Map.of(), "sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION);

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("integrations[0].credentials.refreshToken: environment variable REF_REFRESH_TOKEN is not set");
    }

    @Test
    void anUnknownIntegrationExitsWith2() {
        Cli.Result r = cli("sync", "--config", config.toString(), "--integration", "nope");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("no integration 'nope'");
    }

    @Test
    void aSyncWritesEveryRecordAndReportsAsJson() {
        Cli.Result r = cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION, "--json");

        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = SyncJson.tree(r.out());
        assertThat(j.path("jobType").asText()).isEqualTo("full_sync");
        assertThat(j.path("created").asLong()).isEqualTo(120);
        assertThat(j.path("records").asLong()).isEqualTo(120);
        assertThat(j.path("pages").asLong()).isPositive();
        assertThat(cli("shards", "count", "--data-dir", dataDir.toString(), "--tenant", ReferenceFixture.TENANT).out().trim()).isEqualTo("120");

        Cli.Result again = cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION, "--json");
        assertThat(SyncJson.tree(again.out()).path("jobType").asText()).isEqualTo("incremental");
        assertThat(SyncJson.tree(again.out()).path("created").asLong()).isZero();
    }

    @Test
    void aDryRunReportsWhatWouldChangeAndWritesNothing() {
        cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION);
        fixture.add("Brand New");
        fixture.server().store().update("contacts", fixture.live().get(0).id(), SyncJson.object().put("name", "Changed"));

        Cli.Result r = cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION, "--full", "--dry-run", "--json");

        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = SyncJson.tree(r.out());
        assertThat(j.path("dryRun").asBoolean()).isTrue();
        assertThat(j.path("created").asLong()).isEqualTo(1);
        assertThat(j.path("updated").asLong()).isEqualTo(1);
        assertThat(j.path("unchanged").asLong()).isEqualTo(119);
        assertThat(cli("shards", "count", "--data-dir", dataDir.toString(), "--tenant", ReferenceFixture.TENANT).out().trim()).isEqualTo("120");
        assertThat(cli("history", "--data-dir", dataDir.toString(), "--integration", ReferenceFixture.INTEGRATION, "--json").out())
                .satisfies(h -> assertThat(SyncJson.tree(h)).hasSize(1));
    }

    @Test
    void aFailingSyncExitsWith1() {
        fixture.server().faults().randomly(1.0, 1L, com.castiel.sync.testkit.fake.RequestMatcher.pathStartsWith("/v1/"),
                com.castiel.sync.testkit.fake.Fault.malformedJson());

        Cli.Result r = cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION);

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("Failed:");
    }

    @Test
    void adminCommandsReadTheDataDirectory() {
        cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION);
        String external = fixture.live().get(3).id();

        Cli.Result list = cli("integrations", "list", "--config", config.toString());
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains(ReferenceFixture.INTEGRATION).contains("full_sync succeeded (120 records)");

        Cli.Result show = cli("integrations", "show", ReferenceFixture.INTEGRATION, "--data-dir", dataDir.toString());
        assertThat(show.out()).contains("webhook path: /webhooks/reference/").contains("credentials:  stored, refresh token")
                .doesNotContain(env.get("REF_REFRESH_TOKEN")).doesNotContain(env.get("REF_CLIENT_SECRET"));

        Cli.Result shard = cli("shards", "get", "--data-dir", dataDir.toString(), "--integration", ReferenceFixture.INTEGRATION,
                "--external-id", external);
        assertThat(shard.status()).isZero();
        assertThat(SyncJson.tree(shard.out()).path("structuredData").path("name").asText()).isEqualTo(fixture.live().get(3).fields().path("name").asText());

        Cli.Result history = cli("history", "--data-dir", dataDir.toString(), "--integration", ReferenceFixture.INTEGRATION);
        assertThat(history.out()).contains("full_sync").contains("succeeded");

        assertThat(cli("integrations", "show", "nope", "--data-dir", dataDir.toString()).status()).isEqualTo(2);
        assertThat(cli("shards", "get", "--data-dir", dataDir.toString()).status()).isEqualTo(2);
    }

    @Test
    void deadLettersAreListedReplayedAndPurged() {
        cli("sync", "--config", config.toString(), "--integration", ReferenceFixture.INTEGRATION);
        try (DataStorage storage = DataStorage.open(dataDir, Clock.systemUTC())) {
            for (String id : List.of("a", "b")) {
                SyncJobMessage job = new SyncJobMessage(IntegrationId.of(ReferenceFixture.INTEGRATION), TenantId.of(ReferenceFixture.TENANT),
                        JobType.INCREMENTAL, "reference", null, List.of(), Instant.now(), 10, id, "test");
                QueuedJob q = QueuedJob.of(job);
                storage.queue().send(QueueSpec.INBOUND_SCHEDULED.name(), new OutgoingMessage(id, null, q.toBytes(), id, null, null, q.properties()));
                LockedMessage m = storage.queue().receive(QueueSpec.INBOUND_SCHEDULED.name(), Duration.ZERO).orElseThrow();
                storage.queue().deadLetter(m, "Transient", "gave up after 10 attempts");
            }
        }
        String dd = dataDir.toString();

        Cli.Result list = cli("dlq", "list", "--data-dir", dd, "--json");
        JsonNode entries = SyncJson.tree(list.out());
        assertThat(entries).hasSize(2);
        long seq = entries.get(0).path("sequenceNumber").asLong();
        assertThat(cli("dlq", "list", "--data-dir", dd).out()).contains("gave up after 10 attempts");

        Cli.Result replay = cli("dlq", "replay", "--data-dir", dd, "--queue", QueueSpec.INBOUND_SCHEDULED.name(), Long.toString(seq));
        assertThat(replay.status()).isZero();
        assertThat(replay.out()).contains("Replayed 1");
        Cli.Result purge = cli("dlq", "purge", "--data-dir", dd, "--queue", QueueSpec.INBOUND_SCHEDULED.name(), "--all");
        assertThat(purge.out()).contains("Purged 1");
        assertThat(cli("dlq", "list", "--data-dir", dd).out()).contains("No dead letters.");
        assertThat(cli("dlq", "replay", "--data-dir", dd, "--queue", QueueSpec.INBOUND_SCHEDULED.name(), "999").status()).isEqualTo(2);
        assertThat(cli("dlq", "purge", "--data-dir", dd, "--queue", "no-such-queue", "--all").status()).isEqualTo(2);
        assertThat(cli("dlq", "purge", "--data-dir", dd, "--queue", QueueSpec.INBOUND_SCHEDULED.name()).status()).isEqualTo(2);
    }

    @Test
    void aDataDirectoryInUseIsAUsageErrorNamingIt() {
        try (DataStorage held = DataStorage.open(dataDir, Clock.systemUTC())) {
            Cli.Result r = cli("integrations", "list", "--data-dir", dataDir.toString());

            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("in use by another engine process");
        }
    }

    @Test
    void adaptersListsEveryProviderOnTheClassPath() {
        Cli.Result r = cli("adapters", "--json");

        assertThat(r.status()).isZero();
        assertThat(SyncJson.tree(r.out()).findValuesAsText("id")).contains("reference", "salesforce");
    }
}
