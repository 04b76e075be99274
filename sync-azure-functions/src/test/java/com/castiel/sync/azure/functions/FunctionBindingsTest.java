package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.port.QueueSpec;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The function annotations the packaging plugin turns into {@code function.json}: names as in the
 * seed, the webhook route, timer schedules, and Service Bus queues that are the code's
 * {@link QueueSpec}s, with sessions exactly where the queue has them. (The generated files
 * themselves are checked by {@code FunctionJsonIT} in the {@code azure-functions} profile.)
 */
class FunctionBindingsTest {

    private static final List<Class<?>> FUNCTIONS = List.of(WebhookReceiver.class, SyncScheduler.class, SyncInboundWebhook.class,
            SyncInboundScheduled.class, SyncOutbound.class, TokenRefresher.class, DeadLetterReview.class);

    private static Map<String, Method> functions() {
        Map<String, Method> byName = new TreeMap<>();
        for (Class<?> c : FUNCTIONS) {
            for (Method m : c.getMethods()) {
                FunctionName name = m.getAnnotation(FunctionName.class);
                if (name != null) {
                    byName.put(name.value(), m);
                }
            }
        }
        return byName;
    }

    private static <A extends java.lang.annotation.Annotation> A trigger(Method m, Class<A> type) {
        return Arrays.stream(m.getParameters()).map((Parameter p) -> p.getAnnotation(type)).filter(a -> a != null).findFirst().orElse(null);
    }

    @Test
    void theFunctionsAreNamedAsInTheSeed() {
        assertThat(functions()).containsOnlyKeys("WebhookReceiver", "SyncScheduler", "SyncInboundWebhook", "SyncInboundScheduled",
                "SyncOutbound", "TokenRefresher", "DeadLetterReview");
    }

    @Test
    void theWebhookReceiverTakesPostsOnTheProviderAndEndpointKeyRoute() {
        HttpTrigger http = trigger(functions().get("WebhookReceiver"), HttpTrigger.class);

        assertThat(http.route()).isEqualTo("webhooks/{provider}/{endpointKey}");
        assertThat(http.methods()).containsExactly(HttpMethod.POST);
        assertThat(http.authLevel()).isEqualTo(AuthorizationLevel.ANONYMOUS);
        assertThat(http.dataType()).isEqualTo("binary");
    }

    @Test
    void serviceBusTriggersListenOnTheCodesQueuesWithSessionsOnlyWhereTheQueueHasThem() {
        Map<String, QueueSpec> expected = Map.of("SyncInboundWebhook", QueueSpec.INBOUND_WEBHOOK,
                "SyncInboundScheduled", QueueSpec.INBOUND_SCHEDULED, "SyncOutbound", QueueSpec.OUTBOUND);

        expected.forEach((function, queue) -> {
            ServiceBusQueueTrigger t = trigger(functions().get(function), ServiceBusQueueTrigger.class);
            assertThat(t.queueName()).as(function).isEqualTo(queue.name());
            assertThat(t.isSessionsEnabled()).as(function).isEqualTo(queue.requiresSession());
            assertThat(t.connection()).as(function).isEqualTo("SERVICEBUS_SYNC_CONNECTION");
        });
    }

    @Test
    void timersRunOnTheirSchedules() {
        assertThat(trigger(functions().get("SyncScheduler"), TimerTrigger.class).schedule()).isEqualTo("0 */1 * * * *");
        assertThat(trigger(functions().get("TokenRefresher"), TimerTrigger.class).schedule()).isEqualTo("0 */15 * * * *");
        assertThat(trigger(functions().get("DeadLetterReview"), TimerTrigger.class).schedule()).isEqualTo("0 */5 * * * *");
    }

    @Test
    void everyFunctionClassHasThePublicNoArgumentConstructorTheHostUses() throws Exception {
        for (Class<?> c : FUNCTIONS) {
            assertThat(c.getConstructor().getParameterCount()).as(c.getSimpleName()).isZero();
        }
    }
}
