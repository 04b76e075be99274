package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import com.microsoft.azure.functions.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

    private FunctionsTestBed bed;
    private WebhookReceiver function;

    @BeforeEach
    void setUp() {
        bed = new FunctionsTestBed();
        bed.connect();
        function = new WebhookReceiver(() -> bed.runtime);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private FakeHttpRequest.Response post(String endpointKey, Map<String, String> headers, byte[] body) {
        FakeHttpRequest request = new FakeHttpRequest(HttpMethod.POST,
                "https://func-sync.azurewebsites.net/api/webhooks/reference/" + endpointKey, headers, Map.of(), body);
        return (FakeHttpRequest.Response) function.run(request, "reference", endpointKey, new FakeExecutionContext("WebhookReceiver"));
    }

    @Test
    void aSignedDeliveryIsQueuedForTheIntegrationsTenant() {
        String id = bed.createContact("Ada", "ada@example.com");
        WebhookDelivery delivery = bed.provider.webhookFor(List.of(bed.provider.store().get("contacts", id).orElseThrow()));

        FakeHttpRequest.Response response = post(FunctionsTestBed.ENDPOINT_KEY, delivery.headers(), delivery.body());

        assertThat(response.getStatusCode()).isBetween(200, 202);
        LockedMessage queued = bed.take(QueueSpec.INBOUND_WEBHOOK.name());
        SyncJobMessage job = SyncJson.read(queued.body(), SyncJobMessage.class);
        assertThat(job.jobType()).isEqualTo(JobType.WEBHOOK);
        assertThat(job.tenantId()).isEqualTo(FunctionsTestBed.TENANT);
        assertThat(job.integrationId()).isEqualTo(FunctionsTestBed.INTEGRATION);
        assertThat(bed.events.eventsOfType(SyncEvent.WebhookReceived.class)).hasSize(1);
    }

    @Test
    void aTenantHeaderNeverChoosesTheTenant() {
        String id = bed.createContact("Ada", "ada@example.com");
        WebhookDelivery delivery = bed.provider.webhookFor(List.of(bed.provider.store().get("contacts", id).orElseThrow()));
        Map<String, String> headers = new HashMap<>(delivery.headers());
        headers.put("x-tenant-id", "tenant-evil");

        post(FunctionsTestBed.ENDPOINT_KEY, headers, delivery.body());

        SyncJobMessage job = SyncJson.read(bed.take(QueueSpec.INBOUND_WEBHOOK.name()).body(), SyncJobMessage.class);
        assertThat(job.tenantId()).isEqualTo(FunctionsTestBed.TENANT);
    }

    @Test
    void anUnknownEndpointKeyIsRefusedAndNothingIsQueued() {
        WebhookDelivery delivery = bed.provider.challenge("abc");

        FakeHttpRequest.Response response = post("ek-unknown", delivery.headers(), delivery.body());

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(bed.queue.stats(QueueSpec.INBOUND_WEBHOOK.name()).active()).isZero();
    }

    @Test
    void aTamperedBodyIsRefusedAndNothingIsQueued() {
        String id = bed.createContact("Ada", "ada@example.com");
        WebhookDelivery delivery = bed.provider.webhookFor(List.of(bed.provider.store().get("contacts", id).orElseThrow()));
        byte[] tampered = new String(delivery.body(), java.nio.charset.StandardCharsets.UTF_8).replace("Ada", "Eve")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        FakeHttpRequest.Response response = post(FunctionsTestBed.ENDPOINT_KEY, delivery.headers(), tampered);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(bed.queue.stats(QueueSpec.INBOUND_WEBHOOK.name()).active()).isZero();
    }

    @Test
    void aSubscriptionHandshakeIsAnsweredWithTheChallenge() {
        WebhookDelivery delivery = bed.provider.challenge("challenge-42");

        FakeHttpRequest.Response response = post(FunctionsTestBed.ENDPOINT_KEY, delivery.headers(), delivery.body());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(FunctionsTestBed.text(response.bodyBytes())).contains("challenge-42");
        assertThat(bed.queue.stats(QueueSpec.INBOUND_WEBHOOK.name()).active()).isZero();
        assertThat(ReferenceProviderServer.PROVIDER).isEqualTo("reference");
    }
}
