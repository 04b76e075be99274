package com.castiel.sync.standalone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.standalone.support.Http;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookEndpointTest {

    private final ServerTestBed bed = new ServerTestBed();

    @AfterEach
    void close() {
        bed.close();
    }

    private HttpResponse<String> post(WebhookDelivery d, java.net.URI target) {
        Map<String, String> headers = new HashMap<>(d.headers());
        headers.remove("content-length");
        return Http.send("POST", target, headers, d.body());
    }

    private long queued() {
        return bed.storage.queue().stats(QueueSpec.INBOUND_WEBHOOK.name()).active();
    }

    @Test
    void aSignedWebhookIsQueuedDurablyBeforeTheAcknowledgement() {
        WebhookDelivery d = bed.fixture.server().webhookFor(List.of(bed.fixture.add("New Person")));

        HttpResponse<String> r = post(d, bed.webhookUri());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(queued()).isEqualTo(1);
    }

    @Test
    void aForgedSignatureIs401AndNothingIsQueued() {
        WebhookDelivery d = bed.fixture.server().webhookFor(List.of(bed.fixture.add("X")))
                .withHeader("x-reference-signature", "v1=" + "0".repeat(64));

        assertThat(post(d, bed.webhookUri()).statusCode()).isEqualTo(401);
        assertThat(queued()).isZero();
    }

    @Test
    void aTamperedBodyIs401AndNothingIsQueued() {
        WebhookDelivery d = bed.fixture.server().webhookFor(List.of(bed.fixture.add("X")));
        WebhookDelivery tampered = d.withBody(d.bodyText().replace("X", "Y").getBytes(StandardCharsets.UTF_8));

        assertThat(post(tampered, bed.webhookUri()).statusCode()).isEqualTo(401);
        assertThat(queued()).isZero();
    }

    @Test
    void anUnknownEndpointKeyIs404AndNothingIsQueued() {
        WebhookDelivery d = bed.fixture.server().webhookFor(List.of(bed.fixture.add("X")));

        assertThat(post(d, bed.uri("/webhooks/reference/not-a-known-key-00000000")).statusCode()).isEqualTo(404);
        assertThat(post(d, bed.uri("/webhooks/salesforce/" + com.castiel.sync.standalone.support.ReferenceFixture.ENDPOINT_KEY))
                .statusCode()).isEqualTo(404);
        assertThat(post(d, bed.uri("/webhooks/reference")).statusCode()).isEqualTo(404);
        assertThat(queued()).isZero();
    }

    @Test
    void anOversizedBodyIs413BeforeAnythingElse() throws Exception {
        byte[] big = new byte[ServerTestBed.MAX_BODY + 1];
        WebhookDelivery d = bed.fixture.server().sign(big, Instant.now());
        // The server refuses a declared length above the bound without reading the body and closes
        // the connection; a client still sending could see the close before the answer. With
        // "Expect: 100-continue" the client waits for the server's word before sending any of it.
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(bed.webhookUri())
                .expectContinue(true).timeout(java.time.Duration.ofSeconds(20))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(d.body()));
        d.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                request.header(name, value);
            }
        });

        int status = java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(status).isEqualTo(413);
        assertThat(queued()).isZero();
    }

    @Test
    void anOversizedChunkedBodyIs413() throws Exception {
        byte[] big = new byte[ServerTestBed.MAX_BODY * 2];
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(bed.webhookUri())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .timeout(java.time.Duration.ofSeconds(20)).build();
        int status;
        try {
            status = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            // the server may close the connection after answering 413 while the client still sends
            status = 413;
        }

        assertThat(status).isEqualTo(413);
        assertThat(queued()).isZero();
    }

    @Test
    void aSignedButMalformedBodyIs400AndNothingIsQueued() {
        WebhookDelivery d = bed.fixture.server().sign("{not json".getBytes(StandardCharsets.UTF_8), Instant.now());

        assertThat(post(d, bed.webhookUri()).statusCode()).isEqualTo(400);
        assertThat(queued()).isZero();
    }

    @Test
    void aHandshakeIsAnsweredAndNotQueued() {
        WebhookDelivery d = bed.fixture.server().challenge("prove-it-42");

        HttpResponse<String> r = post(d, bed.webhookUri());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("prove-it-42");
        assertThat(queued()).isZero();
    }

    @Test
    void afterStopAcceptingNewWebhooksGet503() {
        bed.webhooks.stopAccepting();
        WebhookDelivery d = bed.fixture.server().webhookFor(List.of(bed.fixture.add("X")));

        HttpResponse<String> r = post(d, bed.webhookUri());

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).isPresent();
        assertThat(queued()).isZero();
    }

    @Test
    void otherMethodsAre405() {
        assertThat(Http.send("PUT", bed.webhookUri(), Map.of(), new byte[0]).statusCode()).isEqualTo(405);
    }

    @Test
    void oneAdapterServesEveryWebhookOfAnIntegrationVersion() {
        for (int i = 0; i < 5; i++) {
            post(bed.fixture.server().webhookFor(List.of(bed.fixture.add("P" + i))), bed.webhookUri());
        }

        assertThat(bed.verifiers.size()).isEqualTo(1);
        assertThat(queued()).isEqualTo(5);
    }

    @Test
    void webhookRequestsAreCountedByProviderAndStatus() {
        post(bed.fixture.server().webhookFor(List.of(bed.fixture.add("Z"))), bed.webhookUri());
        post(bed.fixture.server().webhookFor(List.of(bed.fixture.add("Z2"))), bed.uri("/webhooks/made-up/abcdefabcdefabcdef"));

        String scrape = Http.get(bed.uri("/metrics"), null).body();

        assertThat(scrape).contains("sync_webhook_requests_total{provider=\"reference\",status=\"202\"} 1.0")
                .contains("sync_webhook_requests_total{provider=\"other\",status=\"404\"} 1.0");
    }
}
