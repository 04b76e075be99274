package com.castiel.sync.standalone.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.server.AdminToken;
import com.castiel.sync.standalone.support.Http;
import com.castiel.sync.standalone.support.Poll;
import com.castiel.sync.standalone.support.ReferenceFixture;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.fake.StoredRecord;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the engine in the middle of a full sync, then a restart: the sync resumes
 * from its checkpoint and ends with exactly the provider's records, each in one shard.
 */
class KillAndRestartIT {

    private static final int RECORDS = 2000;
    private static final RequestMatcher LIST_PAGES = RequestMatcher.call("GET", "/v1/contacts");

    @TempDir
    Path work;

    @Test
    void aSigkillMidSyncFollowedByARestartEndsWithExactlyTheProvidersRecords() throws Exception {
        try (ReferenceFixture fixture = new ReferenceFixture(RECORDS)) {
            // slow pages (at most 200 records each) so the kill lands while the scan is running
            fixture.server().faults().randomly(1.0, 11L, LIST_PAGES, Fault.slowBody(Duration.ofMillis(300)));
            Path dataDir = work.resolve("data");
            Path config = writeConfig(fixture, dataDir);
            Map<String, String> env = env(fixture);

            try (JarProcess first = JarProcess.start(work, env, "run", "--config", config.toString())) {
                first.awaitListening(Duration.ofSeconds(60));
                Poll.until(Duration.ofSeconds(60), "three pages read", () -> fixture.server().journal().count(LIST_PAGES) >= 3);
                first.kill();
                assertThat(fixture.server().journal().count(LIST_PAGES)).as("the kill landed mid-scan").isLessThan(RECORDS / 200);
            }

            fixture.server().faults().clear();
            try (JarProcess second = JarProcess.start(work, env, "run", "--config", config.toString())) {
                URI base = URI.create(second.awaitListening(Duration.ofSeconds(60)));
                String token = Files.readString(dataDir.resolve(AdminToken.FILE_NAME)).trim();
                URI count = base.resolve("/api/tenants/" + ReferenceFixture.TENANT + "/shards/count");
                Poll.until(Duration.ofSeconds(90), RECORDS + " shards", () -> Http.json(Http.get(count, token)).path("count").asLong() == RECORDS);
                URI history = base.resolve("/api/integrations/" + ReferenceFixture.INTEGRATION + "/history");
                Poll.until(Duration.ofSeconds(30), "a finished run", () -> SyncJson.write(Http.json(Http.get(history, token))).contains("succeeded"));
                assertThat(Http.json(Http.get(history, token)).findValuesAsText("resumed")).contains("true");

                assertThat(second.terminate(Duration.ofSeconds(60))).as(second.output()).isIn(0, 143);
                assertThat(second.stderr()).contains("stopped");
            }

            try (DataStorage storage = DataStorage.open(dataDir, Clock.systemUTC())) {
                TenantId tenant = TenantId.of(ReferenceFixture.TENANT);
                IntegrationId integration = IntegrationId.of(ReferenceFixture.INTEGRATION);
                Set<String> shardIds = new HashSet<>();
                for (StoredRecord r : fixture.live()) {
                    Shard s = storage.shards().findByExternalIds(tenant, integration, "contacts", List.of(r.id())).get(r.id());
                    assertThat(s).as("shard of %s", r.id()).isNotNull();
                    assertThat(s.structuredData().path("name").asText()).isEqualTo(r.fields().path("name").asText());
                    shardIds.add(s.id().value());
                }
                assertThat(shardIds).hasSize(RECORDS);
                int linked = 0;
                ShardId after = null;
                while (true) {
                    List<Shard> page = storage.shards().listLinked(tenant, integration, "contacts", after, 500);
                    linked += page.size();
                    if (page.size() < 500) {
                        break;
                    }
                    after = page.get(page.size() - 1).id();
                }
                assertThat(linked).as("shards linked to the integration, duplicates included").isEqualTo(RECORDS);
                assertThat(storage.shards().count(tenant, ReferenceFixture.SHARD_TYPE)).isEqualTo(RECORDS);
            }
        }
    }

    private static Map<String, String> env(ReferenceFixture fixture) {
        Map<String, String> env = new HashMap<>();
        env.put("REF_REFRESH_TOKEN", fixture.connectCredentials().refreshToken());
        env.put("REF_CLIENT_SECRET", fixture.connectCredentials().properties().get("client_secret"));
        return env;
    }

    private static Path writeConfig(ReferenceFixture fixture, Path dataDir) throws Exception {
        Path config = dataDir.getParent().resolve("standalone.yaml");
        var c = fixture.connectCredentials();
        Files.writeString(config, """
                dataDir: %s
                server: { port: 0 }
                workers: { schedulerTickSeconds: 1, shutdownGraceSeconds: 5 }
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
                """.formatted(dataDir, ReferenceFixture.INTEGRATION, ReferenceFixture.TENANT, fixture.server().baseUrl(),
                c.properties().get("client_id"), c.properties().get("webhook_secret")));
        return config;
    }
}
