package com.castiel.sync.standalone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.QueuedJob;
import com.castiel.sync.standalone.support.Http;
import com.castiel.sync.standalone.support.ReferenceFixture;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {

    private final ServerTestBed bed = new ServerTestBed();

    @AfterEach
    void close() {
        bed.close();
    }

    private HttpResponse<String> get(String path) {
        return Http.get(bed.uri(path), ServerTestBed.TOKEN);
    }

    private HttpResponse<String> call(String method, String path) {
        return Http.send(method, bed.uri(path), Map.of("Authorization", "Bearer " + ServerTestBed.TOKEN), null);
    }

    @Test
    void everyAdminRouteRequiresTheToken() {
        assertThat(Http.get(bed.uri("/api/integrations"), null).statusCode()).isEqualTo(401);
        assertThat(Http.get(bed.uri("/api/integrations"), "wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(Http.send("GET", bed.uri("/api/overview"), Map.of("Authorization", "Basic abc"), null).statusCode()).isEqualTo(401);
        HttpResponse<String> r = Http.get(bed.uri("/api/integrations"), null);
        assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void integrationsAreListedWithTheirWebhookPath() {
        JsonNode list = Http.json(get("/api/integrations"));

        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("id").asText()).isEqualTo(ReferenceFixture.INTEGRATION);
        assertThat(list.get(0).path("webhookPath").asText()).isEqualTo("/webhooks/reference/" + ReferenceFixture.ENDPOINT_KEY);
    }

    @Test
    void anIntegrationShowsItsCredentialStatusWithoutValues() {
        HttpResponse<String> r = get("/api/integrations/" + ReferenceFixture.INTEGRATION);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Http.json(r);
        assertThat(body.path("credentials").path("stored").asBoolean()).isTrue();
        assertThat(body.path("credentials").path("propertyNames").toString()).contains("webhook_secret");
        assertThat(r.body()).doesNotContain(bed.fixture.server().webhookSecret());
    }

    @Test
    void anUnknownIntegrationIs404() {
        assertThat(get("/api/integrations/nope").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/integrations/nope/sync").statusCode()).isEqualTo(404);
    }

    @Test
    void triggeringASyncQueuesAJob() {
        HttpResponse<String> r = call("POST", "/api/integrations/" + ReferenceFixture.INTEGRATION + "/sync?type=full_sync");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(Http.json(r).path("jobType").asText()).isEqualTo("full_sync");
        LockedMessage m = bed.storage.queue().receive(QueueSpec.INBOUND_SCHEDULED.name(), Duration.ZERO).orElseThrow();
        assertThat(((QueuedJob.Inbound) QueuedJob.decode(m.body())).message().jobType()).isEqualTo(JobType.FULL_SYNC);
    }

    @Test
    void aBadJobTypeIs400AndAWrongMethodIs405() {
        assertThat(call("POST", "/api/integrations/" + ReferenceFixture.INTEGRATION + "/sync?type=weekly").statusCode()).isEqualTo(400);
        assertThat(get("/api/integrations/" + ReferenceFixture.INTEGRATION + "/sync").statusCode()).isEqualTo(405);
    }

    @Test
    void deadLettersCanBeListedReplayedAndPurged() {
        String queue = QueueSpec.INBOUND_SCHEDULED.name();
        deadLetter(queue, "dl-1");
        deadLetter(queue, "dl-2");

        JsonNode list = Http.json(get("/api/deadletters?queue=" + queue));
        assertThat(list).hasSize(2);
        long first = list.get(0).path("sequenceNumber").asLong();
        assertThat(list.get(0).path("reason").asText()).isEqualTo("Validation");
        assertThat(list.get(0).path("integrationId").asText()).isEqualTo(ReferenceFixture.INTEGRATION);

        assertThat(call("POST", "/api/deadletters/" + queue + "/" + first + "/replay").statusCode()).isEqualTo(200);
        assertThat(bed.storage.queue().stats(queue).active()).isEqualTo(1);
        assertThat(call("DELETE", "/api/deadletters/" + queue).body()).contains("\"purged\":1");
        assertThat(Http.json(get("/api/deadletters"))).isEmpty();
        assertThat(call("POST", "/api/deadletters/" + queue + "/" + first + "/replay").statusCode()).isEqualTo(404);
        assertThat(get("/api/deadletters?queue=no-such-queue").statusCode()).isEqualTo(400);
    }

    @Test
    void theOverviewHasIntegrationsQueuesDeadLettersAlertsAndEvents() {
        for (int i = 0; i < 11; i++) {
            deadLetter(QueueSpec.INBOUND_WEBHOOK.name(), "many-" + i);
        }

        JsonNode o = Http.json(get("/api/overview"));

        assertThat(o.path("integrations")).hasSize(1);
        assertThat(o.path("queues").path("sync-outbound").path("active").asLong()).isZero();
        assertThat(o.path("deadLetters").asLong()).isEqualTo(11);
        assertThat(o.path("alerts").toString()).contains("dead_letter_accumulation");
        assertThat(Http.json(get("/api/alerts")).toString()).contains("dead_letter_accumulation");
    }

    @Test
    void aShardLookupOfAnUnlinkedRecordIs404() {
        assertThat(get("/api/integrations/" + ReferenceFixture.INTEGRATION + "/shards?externalId=zzz").statusCode()).isEqualTo(404);
        assertThat(get("/api/integrations/" + ReferenceFixture.INTEGRATION + "/shards").statusCode()).isEqualTo(400);
        assertThat(Http.json(get("/api/tenants/" + ReferenceFixture.TENANT + "/shards/count")).path("count").asLong()).isZero();
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        assertThat(Http.get(bed.uri("/health"), null).body()).contains("\"status\":\"up\"");
        assertThat(Http.get(bed.uri("/metrics"), null).statusCode()).isEqualTo(200);
        assertThat(Http.get(bed.uri("/nothing-here"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void theDashboardIsServedWithAContentSecurityPolicy() {
        HttpResponse<String> page = Http.get(bed.uri("/"), null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"/dashboard.js\"></script>");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
        assertThat(Http.get(bed.uri("/dashboard.js"), null).headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/javascript"));
    }

    @Test
    void conflictReviewListsParkedConflictsAndRefusesBadResolutions() {
        String base = "/api/conflicts";

        assertThat(Http.json(get(base + "?integration=" + ReferenceFixture.INTEGRATION))).isEmpty();
        assertThat(get(base).statusCode()).isEqualTo(400);
        assertThat(get(base + "?integration=nope").statusCode()).isEqualTo(404);
        assertThat(get(base + "/" + ReferenceFixture.INTEGRATION + "/no-such-shard").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = Http.send("POST", bed.uri(base + "/" + ReferenceFixture.INTEGRATION + "/no-such-shard/resolve"),
                Map.of("Authorization", "Bearer " + ServerTestBed.TOKEN), "{\"choices\": {}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> missing = Http.send("POST", bed.uri(base + "/" + ReferenceFixture.INTEGRATION + "/no-such-shard/resolve"),
                Map.of("Authorization", "Bearer " + ServerTestBed.TOKEN),
                "{\"choices\": {\"name\": \"castiel\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    private void deadLetter(String queue, String id) {
        SyncJobMessage job = new SyncJobMessage(bed.integration.id(), bed.integration.tenantId(), JobType.INCREMENTAL, "reference", null,
                List.of(), Instant.now(), 3, id, "test");
        QueuedJob q = QueuedJob.of(job);
        bed.storage.queue().send(queue, new OutgoingMessage(id, null, q.toBytes(), id, null, null, q.properties()));
        LockedMessage m = bed.storage.queue().receive(queue, Duration.ZERO).orElseThrow();
        bed.storage.queue().deadLetter(m, "Validation", "record rejected");
    }
}
