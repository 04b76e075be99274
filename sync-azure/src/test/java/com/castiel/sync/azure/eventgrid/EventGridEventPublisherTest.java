package com.castiel.sync.azure.eventgrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import com.castiel.sync.azure.testing.EventCaptureServer;
import com.castiel.sync.azure.testing.LocalHttps;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The real {@code EventGridPublisherClient} against a local HTTPS capture server. */
class EventGridEventPublisherTest {

    private static final String KEY = "test-topic-key-" + Long.toHexString(System.nanoTime());
    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final Instant AT = Instant.parse("2025-01-15T10:00:00Z");

    private final EventCaptureServer topic = new EventCaptureServer(KEY, "entra-token");

    @AfterEach
    void stop() {
        topic.close();
    }

    private EventGridEventPublisher keyPublisher() {
        return new EventGridEventPublisher(new EventGridPublisherClientBuilder()
                .endpoint(topic.endpoint())
                .credential(new AzureKeyCredential(KEY))
                .httpClient(LocalHttps.azureHttpClient())
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .buildEventGridEventPublisherClient());
    }

    private JsonNode onlyEvent() {
        assertThat(topic.captured()).hasSize(1);
        JsonNode body = topic.captured().getFirst().body();
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        return body.get(0);
    }

    @Test
    void aWebhookEventIsPostedInTheEventGridSchemaWithTheTopicKey() {
        keyPublisher().publish(new SyncEvent.WebhookReceived(TENANT, INTEGRATION, "salesforce", AT, "corr-1"));

        EventCaptureServer.Captured request = topic.captured().getFirst();
        assertThat(request.path()).isEqualTo("/api/events");
        assertThat(request.query()).contains("api-version=2018-01-01");
        assertThat(request.headers().get("aeg-sas-key")).isEqualTo(KEY);
        assertThat(request.headers().get("content-type")).startsWith("application/json");
        JsonNode event = onlyEvent();
        assertThat(event.get("eventType").asText()).isEqualTo("Castiel.Integration.WebhookReceived");
        assertThat(event.get("subject").asText()).isEqualTo("/integrations/salesforce/webhook");
        assertThat(event.get("dataVersion").asText()).isEqualTo("1.0");
        assertThat(OffsetDateTime.parse(event.get("eventTime").asText()).toInstant()).isEqualTo(AT);
        assertThat(event.get("id").asText()).isNotBlank();
        assertThat(event.get("data").get("tenantId").asText()).isEqualTo("tenant-a");
        assertThat(event.get("data").get("integrationId").asText()).isEqualTo("int-1");
        assertThat(event.get("data").get("correlationId").asText()).isEqualTo("corr-1");
    }

    @Test
    void everyEngineEventTypeIsPublishedUnderItsCastielType() {
        EventGridEventPublisher publisher = keyPublisher();
        List<SyncEvent> events = List.of(
                new SyncEvent.WebhookReceived(TENANT, INTEGRATION, "salesforce", AT, "c"),
                new SyncEvent.SyncScheduled(TENANT, INTEGRATION, "salesforce", JobType.INCREMENTAL, AT, "c"),
                new SyncEvent.SyncCompleted(TENANT, INTEGRATION, "salesforce", RunId.of("run-1"), JobType.FULL_SYNC,
                        new SyncStats(1, 2, 3, 0, 0, 0, 0), 1500, AT, "c"),
                new SyncEvent.SyncFailed(TENANT, INTEGRATION, "salesforce", null, JobType.INCREMENTAL, "RATE_LIMIT", "429", 2, true, AT, "c"),
                new SyncEvent.TokenRefreshFailed(TENANT, INTEGRATION, "salesforce", "AUTHENTICATION_FAILED", 3, true, AT),
                new SyncEvent.DeadLettered(TENANT, INTEGRATION, "sync-inbound-scheduled", "m-1", "NOT_FOUND", "gone", 1, AT, "c"));

        events.forEach(publisher::publish);

        assertThat(topic.captured()).extracting(c -> c.body().get(0).get("eventType").asText()).containsExactly(
                "Castiel.Integration.WebhookReceived", "Castiel.Integration.SyncScheduled", "Castiel.Integration.SyncCompleted",
                "Castiel.Integration.SyncFailed", "Castiel.Integration.TokenRefreshFailed", "Castiel.Integration.DeadLettered");
        assertThat(topic.captured()).extracting(c -> c.body().get(0).get("subject").asText()).containsExactly(
                "/integrations/salesforce/webhook", "/integrations/int-1/sync", "/integrations/int-1/sync", "/integrations/int-1/sync",
                "/integrations/int-1/credentials", "/integrations/int-1/deadletters");
        JsonNode completed = topic.captured().get(2).body().get(0).get("data");
        assertThat(completed.get("stats").get("created").asInt()).isEqualTo(1);
        assertThat(completed.get("durationMs").asLong()).isEqualTo(1500);
        assertThat(topic.captured().get(5).body().get(0).get("data").get("reason").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void theSameEventKeepsItsIdWhenPublishedAgain() {
        EventGridEventPublisher publisher = keyPublisher();
        SyncEvent event = new SyncEvent.SyncScheduled(TENANT, INTEGRATION, "salesforce", JobType.INCREMENTAL, AT, "c");

        publisher.publish(event);
        publisher.publish(event);
        publisher.publish(new SyncEvent.SyncScheduled(TENANT, INTEGRATION, "salesforce", JobType.INCREMENTAL, AT.plusSeconds(60), "c"));

        List<String> ids = topic.captured().stream().map(c -> c.body().get(0).get("id").asText()).toList();
        assertThat(ids.get(0)).isEqualTo(ids.get(1)).isNotEqualTo(ids.get(2));
    }

    @Test
    void withoutAKeyTheIdentitysBearerTokenIsSent() {
        EventGridEventPublisher publisher = new EventGridEventPublisher(new EventGridPublisherClientBuilder()
                .endpoint(topic.endpoint())
                .credential(request -> Mono.just(new AccessToken("entra-token", OffsetDateTime.now().plusHours(1))))
                .httpClient(LocalHttps.azureHttpClient())
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .buildEventGridEventPublisherClient());

        publisher.publish(new SyncEvent.WebhookReceived(TENANT, INTEGRATION, "salesforce", AT, "c"));

        assertThat(onlyEvent().get("eventType").asText()).isEqualTo("Castiel.Integration.WebhookReceived");
        assertThat(topic.captured().getFirst().headers()).containsEntry("authorization", "Bearer entra-token").doesNotContainKey("aeg-sas-key");
    }

    @Test
    void anUnavailableTopicIsARetryableFailure() {
        topic.failNext(503);

        assertThatThrownBy(() -> keyPublisher().publish(new SyncEvent.WebhookReceived(TENANT, INTEGRATION, "salesforce", AT, "c")))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
    }

    @Test
    void aWrongKeyIsAConfigurationErrorThatDoesNotShowTheKey() {
        EventGridEventPublisher publisher = new EventGridEventPublisher(new EventGridPublisherClientBuilder()
                .endpoint(topic.endpoint())
                .credential(new AzureKeyCredential("wrong-key-value"))
                .httpClient(LocalHttps.azureHttpClient())
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .buildEventGridEventPublisherClient());

        assertThatThrownBy(() -> publisher.publish(new SyncEvent.WebhookReceived(TENANT, INTEGRATION, "salesforce", AT, "c")))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .satisfies(e -> assertThat(e.toString()).doesNotContain("wrong-key-value"));
    }
}
