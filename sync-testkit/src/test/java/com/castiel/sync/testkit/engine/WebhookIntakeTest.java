package com.castiel.sync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.engine.WebhookIntake;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookResponse;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.RecordingEventPublisher;
import com.castiel.sync.testkit.time.MutableClock;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookIntakeTest {

    private static final String WEBHOOKS = QueueSpec.INBOUND_WEBHOOK.name();

    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
    private final InMemoryIntegrationStore store = new InMemoryIntegrationStore(clock);
    private final AtomicInteger lookups = new AtomicInteger();
    private final IntegrationStore counting = (IntegrationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {IntegrationStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("findByEndpointKey")) {
                    lookups.incrementAndGet();
                }
                try {
                    return method.invoke(store, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final RecordingEventPublisher events = new RecordingEventPublisher();
    private final WebhookIntake intake = new WebhookIntake(counting, integration -> new SignedOnly(), queue, events, clock, 1024);

    WebhookIntakeTest() {
        store.create(new Integration(IntegrationId.of("int-1"), TenantId.of("tenant-a"), null,
                IntegrationData.of("reference", List.of()).withWebhookEndpointKey("key-1"), 0, null, null));
    }

    @Test
    void an_authentic_webhook_is_queued_durably_for_its_integration_before_the_answer() {
        WebhookResponse answer = intake.receive("reference", "key-1", request("{\"id\":1}", true));

        assertThat(answer.status()).isEqualTo(202);
        var queued = queue.receive(WEBHOOKS, Duration.ZERO).orElseThrow();
        SyncJobMessage job = SyncJson.read(queued.body(), SyncJobMessage.class);
        assertThat(job.jobType()).isEqualTo(JobType.WEBHOOK);
        assertThat(job.tenantId()).as("the tenant comes from the integration").isEqualTo(TenantId.of("tenant-a"));
        assertThat(job.webhookPayload().body()).isEqualTo("{\"id\":1}");
        assertThat(job.webhookPayload().headers()).doesNotContainKey("x-signature");
    }

    @Test
    void forged_unknown_oversized_and_wrong_provider_requests_queue_nothing() {
        assertThat(intake.receive("reference", "key-1", request("{}", false)).status()).isEqualTo(401);
        assertThat(intake.receive("reference", "no-such-key", request("{}", true)).status()).isEqualTo(404);
        assertThat(intake.receive("salesforce", "key-1", request("{}", true)).status()).isEqualTo(404);
        assertThat(intake.receive("reference", "key-1", request("x".repeat(2000), true)).status()).isEqualTo(413);

        assertThat(queue.stats(WEBHOOKS).active()).isZero();
    }

    @Test
    void a_redelivered_notification_is_queued_once() {
        intake.receive("reference", "key-1", request("{\"id\":7}", true));
        intake.receive("reference", "key-1", request("{\"id\":7}", true));

        assertThat(queue.stats(WEBHOOKS).active()).isEqualTo(1);
    }

    @Test
    void the_endpoint_key_is_resolved_once_per_few_seconds_not_per_webhook() {
        for (int i = 0; i < 20; i++) {
            intake.receive("reference", "key-1", request("{\"id\":" + i + "}", true));
        }
        assertThat(lookups).hasValue(1);

        clock.advance(Duration.ofSeconds(6));
        intake.receive("reference", "key-1", request("{\"id\":99}", true));

        assertThat(lookups).hasValue(2);
        assertThat(queue.stats(WEBHOOKS).active()).isEqualTo(21);
    }

    private WebhookRequest request(String body, boolean signed) {
        Map<String, List<String>> headers = signed
                ? Map.of("content-type", List.of("application/json"), "x-signature", List.of("valid"))
                : Map.of("content-type", List.of("application/json"));
        return new WebhookRequest("POST", headers, Map.of(), body.getBytes(StandardCharsets.UTF_8), clock.instant());
    }

    /** Accepts exactly the requests carrying the valid signature header. */
    private static final class SignedOnly implements ProviderAdapter {
        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.READ, Capability.WEBHOOKS);
        }

        @Override
        public Page fetch(FetchRequest request) {
            return Page.last(List.of());
        }

        @Override
        public WebhookVerdict verifyWebhook(WebhookRequest request) {
            return request.header("x-signature").filter("valid"::equals).isPresent()
                    ? new WebhookVerdict.Accept(WebhookResponse.accepted())
                    : new WebhookVerdict.Reject(401, "bad signature");
        }
    }
}
