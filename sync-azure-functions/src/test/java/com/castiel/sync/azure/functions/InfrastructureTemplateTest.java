package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.azure.config.AzureSettings;
import com.castiel.sync.azure.cosmos.CosmosSyncContainers;
import com.castiel.sync.azure.servicebus.ServiceBusQueueSettings;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.metrics.AlertThresholds;
import com.castiel.sync.port.QueueSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code infra/main.bicep} and {@code host.json} to the code: the queues are the code's
 * queue constants as Service Bus takes them, Event Grid routes use the engine's event types and
 * existing queues, the app gets every setting the code reads, and the seed's four alert rules
 * are there with sync-core's thresholds.
 */
class InfrastructureTemplateTest {

    private static final String BICEP = read(System.getProperty("infra.bicep", "../infra/main.bicep"));

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** The objects of a top-level {@code var <name> = [ {...} ... ]} block, as key → literal text. */
    private static List<Map<String, String>> objects(String variable) {
        int start = BICEP.indexOf("\nvar " + variable + " = [\n");
        assertThat(start).as("var " + variable + " in main.bicep").isNotNegative();
        int end = BICEP.indexOf("\n]\n", start);
        String block = BICEP.substring(start, end);
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = null;
        Pattern property = Pattern.compile("^\\s+(\\w+): (.+)$");
        for (String line : block.split("\n")) {
            String t = line.trim();
            if (t.equals("{")) {
                current = new LinkedHashMap<>();
            } else if (t.equals("}")) {
                out.add(current);
                current = null;
            } else if (current != null) {
                Matcher m = property.matcher(line);
                if (m.matches()) {
                    current.put(m.group(1), m.group(2).trim());
                }
            }
        }
        return out;
    }

    private static String text(String literal) {
        return literal.startsWith("'") && literal.endsWith("'") ? literal.substring(1, literal.length() - 1) : literal;
    }

    @Test
    void theQueuesAreTheCodesQueueSettings() {
        List<Map<String, String>> queues = objects("queues");

        assertThat(queues).hasSameSizeAs(QueueSpec.ALL);
        for (QueueSpec spec : QueueSpec.ALL) {
            ServiceBusQueueSettings expected = ServiceBusQueueSettings.of(spec);
            Map<String, String> q = queues.stream().filter(x -> text(x.get("name")).equals(spec.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("main.bicep has no queue " + spec.name()));
            assertThat(Integer.parseInt(q.get("maxDeliveryCount"))).as(spec.name()).isEqualTo(expected.maxDeliveryCount());
            assertThat(Duration.parse(text(q.get("lockDuration")))).as(spec.name()).isEqualTo(expected.lockDuration());
            assertThat(Duration.parse(text(q.get("defaultMessageTimeToLive")))).as(spec.name()).isEqualTo(expected.defaultMessageTimeToLive());
            assertThat(Boolean.parseBoolean(q.get("requiresSession"))).as(spec.name()).isEqualTo(expected.requiresSession());
            assertThat(Boolean.parseBoolean(q.get("deadLetteringOnMessageExpiration"))).as(spec.name())
                    .isEqualTo(expected.deadLetteringOnMessageExpiration());
            assertThat(Duration.parse(text(q.get("duplicateDetectionHistoryTimeWindow")))).as(spec.name())
                    .isEqualTo(expected.duplicateDetectionHistoryTimeWindow());
        }
        assertThat(BICEP).contains("requiresDuplicateDetection: true");
    }

    @Test
    void onlyTheLockDurationDiffersFromTheSeedAndOnlyWhereServiceBusCapsIt() {
        for (QueueSpec spec : QueueSpec.ALL) {
            Duration onBroker = ServiceBusQueueSettings.of(spec).lockDuration();
            assertThat(onBroker).isLessThanOrEqualTo(ServiceBusQueueSettings.MAX_LOCK_DURATION);
            if (spec.lockDuration().compareTo(ServiceBusQueueSettings.MAX_LOCK_DURATION) <= 0) {
                assertThat(onBroker).isEqualTo(spec.lockDuration());
            }
        }
    }

    @Test
    void eventGridRoutesTheEnginesJobEventTypesToExistingQueues() {
        List<String> queueNames = QueueSpec.ALL.stream().map(QueueSpec::name).toList();
        List<Map<String, String>> routes = objects("routes");

        assertThat(routes).extracting(r -> text(r.get("eventType")))
                .containsExactlyInAnyOrder("Castiel.Integration.WebhookReceived", "Castiel.Integration.SyncScheduled");
        assertThat(routes).allSatisfy(r -> assertThat(queueNames).contains(text(r.get("queue"))));
        assertThat(routes).filteredOn(r -> text(r.get("eventType")).endsWith("WebhookReceived"))
                .singleElement().satisfies(r -> assertThat(text(r.get("queue"))).isEqualTo(QueueSpec.INBOUND_WEBHOOK.name()));
        assertThat(BICEP).contains("operatorType: 'IsNotNull'").contains("key: 'data.jobType'");
        assertThat(new SyncEvent.WebhookReceived(null, null, "p", null, null).eventType()).isEqualTo("Castiel.Integration.WebhookReceived");
    }

    @Test
    void theFunctionAppGetsEverySettingTheCodeReadsWithoutKeys() {
        for (String setting : List.of(AzureSettings.SERVICEBUS_NAMESPACE, AzureSettings.KEY_VAULT_URL, AzureSettings.EVENTGRID_ENDPOINT,
                AzureSettings.COSMOS_ENDPOINT, AzureSettings.COSMOS_DATABASE, AzureSettings.MAX_RECORDS_PER_SYNC, AzureSettings.MAX_CONCURRENT_SYNCS)) {
            assertThat(BICEP).as("app setting " + setting).contains("name: '" + setting + "'");
        }
        assertThat(BICEP).doesNotContain("name: '" + AzureSettings.COSMOS_KEY + "'").doesNotContain("name: '" + AzureSettings.EVENTGRID_KEY + "'");
        assertThat(BICEP).contains("linuxFxVersion: 'Java|21'");
    }

    @Test
    void theCosmosContainersAreTheStoresContainersPartitionedByTenant() {
        assertThat(BICEP).contains("'" + CosmosSyncContainers.SHARDS + "'", "'" + CosmosSyncContainers.INTEGRATIONS + "'",
                "'" + CosmosSyncContainers.RUNS + "'", "'" + CosmosSyncContainers.PARTITION_KEY_PATH + "'");
    }

    @Test
    void theSeedsFourAlertRulesAreThereWithCoreThresholds() {
        AlertThresholds seed = AlertThresholds.DEFAULT;
        assertThat(count("'Microsoft.Insights/metricAlerts@")).isEqualTo(2);
        assertThat(count("'Microsoft.Insights/scheduledQueryRules@")).isEqualTo(2);
        assertThat(block("resource alertFailureRate")).contains("> " + seed.failureRate()).contains("total >= " + seed.failureMinJobs())
                .contains("severity: 0");
        assertThat(block("resource alertBacklog")).contains("metricName: 'ActiveMessages'").contains("threshold: " + seed.queueBacklog());
        assertThat(block("resource alertTokenRefresh")).contains("token refresh failed").contains("threshold: " + seed.tokenRefreshFailures());
        assertThat(block("resource alertDeadLetters")).contains("metricName: 'DeadletteredMessages'").contains("threshold: " + seed.deadLetters());
    }

    @Test
    void hostJsonUsesTheExtensionBundleAndBoundsServiceBusConcurrency() throws IOException {
        JsonNode host = new ObjectMapper().readTree(Path.of(System.getProperty("host.json", "host.json")).toFile());

        assertThat(host.path("version").asText()).isEqualTo("2.0");
        assertThat(host.path("extensionBundle").path("id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        JsonNode bus = host.path("extensions").path("serviceBus");
        assertThat(bus.path("maxConcurrentCalls").asInt()).isEqualTo(AzureSettings.DEFAULT_MAX_CONCURRENT_SYNCS);
        assertThat(bus.path("maxConcurrentSessions").asInt()).isPositive();
        assertThat(bus.path("prefetchCount").asInt()).isZero();
        assertThat(Duration.parse("PT" + bus.path("maxAutoLockRenewalDuration").asText().replaceFirst("(\\d+):(\\d+):(\\d+)", "$1H$2M$3S")))
                .isGreaterThanOrEqualTo(QueueSpec.INBOUND_SCHEDULED.lockDuration());
    }

    private static int count(String needle) {
        int n = 0;
        for (int i = BICEP.indexOf(needle); i >= 0; i = BICEP.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String block(String start) {
        int i = BICEP.indexOf(start);
        assertThat(i).as(start).isNotNegative();
        int end = BICEP.indexOf("\n}\n", i);
        return BICEP.substring(i, end);
    }
}
