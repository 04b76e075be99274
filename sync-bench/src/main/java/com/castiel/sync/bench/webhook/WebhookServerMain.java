package com.castiel.sync.bench.webhook;

import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildOutput;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.standalone.config.IntegrationConfig;
import com.castiel.sync.standalone.config.Limits;
import com.castiel.sync.standalone.config.ServerSettings;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.config.WorkerSettings;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.runtime.OneShotSync;
import com.castiel.sync.standalone.runtime.RuntimeOptions;
import com.castiel.sync.standalone.runtime.StandaloneRuntime;
import com.castiel.sync.standalone.server.AdminToken;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child role {@code webhook-server}: the standalone runtime as an operator runs it (embedded
 * storage, HTTP server, inbound workers), with one reference-provider integration whose
 * webhooks are HMAC-signed, next to a {@link BareServer} in the same JVM. After a full sync of
 * {@code --records} records it prints {@code READY {webhookUrl, bareUrl, secret, templates}} and
 * answers commands:
 * <ul>
 *   <li>{@code probe N}: N webhook-to-shard latencies: a record changed in a signed webhook sent
 *       to the runtime, timed until the shard store shows the change (polled every millisecond);</li>
 *   <li>{@code stats}: webhook answers by status (the endpoint's own counter) and the webhook
 *       queue's backlog.</li>
 * </ul>
 *
 * <p>Arguments: {@code --data <dir> [--records N]}.
 */
public final class WebhookServerMain {

    static final String INTEGRATION = "bench-webhooks";
    static final String TENANT = "bench-tenant";
    static final String ENTITY = "contacts";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private WebhookServerMain() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = ChildArgs.parse(argv, 0);
        Path data = args.path("data");
        int count = args.integer("records", 1000);
        Clock clock = Clock.systemUTC();
        try (ReferenceProviderServer provider = new ReferenceProviderServer(clock).start()) {
            List<StoredRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ObjectNode f = SyncJson.object().put("name", "Contact " + i).put("email", "contact" + i + "@example.com")
                        .put("score", i % 1000).put("active", i % 3 != 0);
                records.add(provider.store().create(ENTITY, f));
            }
            Credentials connected = provider.connect();
            Credentials credentials = new Credentials(null, connected.refreshToken(), null, null, null, Map.of(
                    "client_id", connected.property("client_id").orElseThrow(),
                    "client_secret", connected.property("client_secret").orElseThrow(),
                    "webhook_secret", provider.webhookSecret()));
            EntityMapping mapping = EntityMapping.of(ENTITY, "contact", List.of(
                    FieldMapping.of("name", "name").asRequired(),
                    FieldMapping.of("email", "email"),
                    FieldMapping.of("score", "metrics.score", FieldType.NUMBER),
                    FieldMapping.of("active", "active", FieldType.BOOLEAN)));
            IntegrationConfig integration = new IntegrationConfig(INTEGRATION, TENANT, "webhook benchmark", ReferenceProviderServer.PROVIDER,
                    null, Map.of("baseUrl", provider.baseUrl().toString()), credentials, List.of(mapping), List.of(), SyncFrequency.manual(),
                    WriteBackSettings.disabled(), ConflictResolution.EXTERNAL_WINS, Ids.secureToken(24), null, null);
            StandaloneConfig config = new StandaloneConfig("bench", data, new ServerSettings("127.0.0.1", 0, null),
                    new Limits(0L, Limits.DEFAULT_MAX_CONCURRENT_SYNCS), new WorkerSettings(10, 5, 10, 4), List.of(integration));
            StandaloneRuntime runtime = StandaloneRuntime.start(config, DataStorage.open(data, clock), AdminToken.loadOrCreate(data),
                    RuntimeOptions.defaults().withClock(clock));
            try (BareServer bare = BareServer.start()) {
                OneShotSync.Result synced = new OneShotSync(runtime.engine(), clock).run(runtime.integrations().get(0), JobType.FULL_SYNC,
                        OneShotSync.ProgressListener.NONE);
                if (!synced.succeeded() || synced.stats().created() != count) {
                    throw new IllegalStateException("the initial sync did not create " + count + " shards: " + synced);
                }
                URI webhook = runtime.baseUri().resolve(runtime.admin().summary(INTEGRATION).webhookPath());
                ArrayNode templates = SyncJson.mapper().createArrayNode();
                for (StoredRecord r : records) {
                    JsonNode delivery = SyncJson.mapper().readTree(provider.webhookFor(List.of(r)).body());
                    templates.add(delivery.get("events").get(0));
                }
                ObjectNode ready = SyncJson.object();
                ready.put("webhookUrl", webhook.toString());
                ready.put("bareUrl", bare.uri().toString());
                ready.put("secret", provider.webhookSecret());
                ready.set("templates", templates);
                ChildOutput.line("READY ", ready);
                serve(runtime, webhook, provider.webhookSecret(), templates, clock);
            } finally {
                runtime.stop();
            }
        }
    }

    private static void serve(StandaloneRuntime runtime, URI webhook, String secret, ArrayNode templates, Clock clock) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            ObjectNode ok = SyncJson.object();
            switch (words[0]) {
                case "probe" -> probe(runtime, webhook, secret, templates, clock, Integer.parseInt(words[1]), ok);
                case "stats" -> {
                    ObjectNode byStatus = ok.putObject("answers");
                    for (Counter c : runtime.meters().find("sync_webhook_requests").counters()) {
                        String status = c.getId().getTag("status");
                        byStatus.put(status, byStatus.path(status).asDouble() + c.count());
                    }
                    ok.put("webhookBacklog", runtime.storage().queue().stats(QueueSpec.INBOUND_WEBHOOK.name()).active());
                }
                case "" -> {
                    continue;
                }
                default -> ok.put("error", "unknown command " + words[0]);
            }
            ChildOutput.line("OK ", ok);
        }
    }

    /**
     * Sends {@code n} signed webhooks, one at a time, each changing the name of one record, and
     * times each until the shard store shows the new name.
     */
    private static void probe(StandaloneRuntime runtime, URI webhook, String secret, ArrayNode templates, Clock clock, int n, ObjectNode out)
            throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        templates.forEach(t -> events.add((ObjectNode) t));
        SignedWebhooks signer = new SignedWebhooks(secret, events);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ArrayNode latencies = out.putArray("latencyMillis");
        int failed = 0;
        String run = Ids.secureToken(4);
        for (int i = 0; i < n; i++) {
            ObjectNode event = events.get(i % events.size()).deepCopy();
            String recordId = event.path("record_id").asText();
            String name = "probe " + run + " " + i;
            Instant now = clock.instant();
            ObjectNode record = (ObjectNode) event.get("record");
            ((ObjectNode) record.get("fields")).put("name", name);
            record.put("modified_at", now.toString());
            record.put("etag", "probe-" + run + "-" + i);
            event.put("occurred_at", now.toString());
            SignedWebhooks.Delivery d = signer.delivery(event, "dlv-probe-" + run + "-" + i, now);
            long t0 = System.nanoTime();
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(webhook)
                    .header("content-type", "application/json")
                    .header(SignedWebhooks.TIMESTAMP_HEADER, d.timestamp())
                    .header(SignedWebhooks.SIGNATURE_HEADER, d.signature())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                failed++;
                continue;
            }
            long deadline = t0 + PROBE_TIMEOUT.toNanos();
            boolean seen = false;
            while (System.nanoTime() < deadline) {
                Shard s = runtime.storage().shards().findByExternalIds(TenantId.of(TENANT), IntegrationId.of(INTEGRATION), ENTITY,
                        List.of(recordId)).get(recordId);
                if (s != null && name.equals(s.structuredData().path("name").asText())) {
                    seen = true;
                    break;
                }
                Thread.sleep(1);
            }
            if (seen) {
                latencies.add((System.nanoTime() - t0) / 1e6);
            } else {
                failed++;
            }
            Thread.sleep(10);
        }
        out.put("failed", failed);
    }
}
