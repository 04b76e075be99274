package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.port.QueueSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the {@code function.json} files that {@code azure-functions-maven-plugin} generated in the
 * {@code azure-functions} profile's package phase, and checks what the Functions host will bind:
 * triggers, queue names, sessions, connection setting, route and schedules.
 */
class FunctionJsonIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STAGING = Path.of(System.getProperty("functions.staging", "target/azure-functions/func-sync"));

    private static JsonNode trigger(String function) throws IOException {
        JsonNode doc = JSON.readTree(STAGING.resolve(function).resolve("function.json").toFile());
        for (JsonNode b : doc.get("bindings")) {
            if ("in".equals(b.path("direction").asText()) && b.path("type").asText().endsWith("Trigger")) {
                return b;
            }
        }
        throw new AssertionError(function + " has no trigger binding");
    }

    @Test
    void everyFunctionHasItsFunctionJson() throws IOException {
        try (Stream<Path> dirs = Files.list(STAGING)) {
            List<String> functions = dirs.filter(d -> Files.exists(d.resolve("function.json"))).map(d -> d.getFileName().toString()).sorted().toList();
            assertThat(functions).containsExactly("DeadLetterReview", "SyncInboundScheduled", "SyncInboundWebhook", "SyncOutbound",
                    "SyncScheduler", "TokenRefresher", "WebhookReceiver");
        }
        assertThat(STAGING.resolve("host.json")).exists();
        JsonNode host = JSON.readTree(STAGING.resolve("host.json").toFile());
        assertThat(host.path("extensionBundle").path("id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
    }

    @Test
    void serviceBusTriggersBindTheCodesQueuesWithSessionsOnlyOnTheOutboundQueue() throws IOException {
        for (var entry : java.util.Map.of("SyncInboundWebhook", QueueSpec.INBOUND_WEBHOOK, "SyncInboundScheduled", QueueSpec.INBOUND_SCHEDULED,
                "SyncOutbound", QueueSpec.OUTBOUND).entrySet()) {
            JsonNode t = trigger(entry.getKey());
            assertThat(t.path("type").asText()).isEqualTo("serviceBusTrigger");
            assertThat(t.path("queueName").asText()).isEqualTo(entry.getValue().name());
            assertThat(t.path("connection").asText()).isEqualTo("SERVICEBUS_SYNC_CONNECTION");
            assertThat(t.path("isSessionsEnabled").asBoolean(false)).as(entry.getKey()).isEqualTo(entry.getValue().requiresSession());
        }
    }

    @Test
    void theWebhookReceiverIsAnAnonymousPostOnItsRoute() throws IOException {
        JsonNode t = trigger("WebhookReceiver");

        assertThat(t.path("type").asText()).isEqualTo("httpTrigger");
        assertThat(t.path("route").asText()).isEqualTo("webhooks/{provider}/{endpointKey}");
        assertThat(t.path("authLevel").asText()).isEqualToIgnoringCase("anonymous");
        assertThat(t.path("methods").toString().toLowerCase()).contains("post");
    }

    @Test
    void timerTriggersCarryTheirSchedules() throws IOException {
        assertThat(trigger("SyncScheduler").path("schedule").asText()).isEqualTo("0 */1 * * * *");
        assertThat(trigger("TokenRefresher").path("schedule").asText()).isEqualTo("0 */15 * * * *");
        assertThat(trigger("DeadLetterReview").path("schedule").asText()).isEqualTo("0 */5 * * * *");
    }

    @Test
    void theAppCarriesTheAdaptersAndTheAzurePorts() throws IOException {
        try (Stream<Path> libs = Files.list(STAGING.resolve("lib"))) {
            List<String> jars = libs.map(p -> p.getFileName().toString()).toList();
            assertThat(jars).anyMatch(j -> j.startsWith("sync-azure-0"));
            assertThat(jars).anyMatch(j -> j.startsWith("sync-core-"));
            assertThat(jars).as("the Salesforce adapter").anyMatch(j -> j.startsWith("sync-adapters-salesforce-"));
            assertThat(jars).as("no test code ships in the app").noneMatch(j -> j.startsWith("sync-testkit-") || j.startsWith("junit-"));
        }
    }
}
