package com.castiel.sync.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs 50,000 records from the reference provider over loopback HTTP into embedded SQLite
 * storage, in a child JVM limited to a 128 MiB heap: the pipeline streams pages, so the record
 * count must not matter to memory.
 */
class BoundedHeapSyncTest {

    private static final int RECORDS = 50_000;

    @TempDir
    Path dataDir;

    @Test
    void fifty_thousand_records_sync_over_http_in_a_128_mib_heap() throws Exception {
        try (ReferenceProviderServer server = new ReferenceProviderServer(Clock.systemUTC()).start()) {
            for (int i = 0; i < RECORDS; i++) {
                ObjectNode f = SyncJson.object();
                f.put("name", "Contact " + i);
                f.put("email", "contact" + i + "@example.com");
                f.put("score", i % 1000);
                f.put("active", i % 3 != 0);
                server.store().create("contacts", f);
            }
            Credentials connected = server.connect();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                    "-cp", classpath, BoundedHeapSyncMain.class.getName(),
                    server.baseUrl().toString(), dataDir.toString(), connected.refreshToken(),
                    connected.property("client_id").orElseThrow(), connected.property("client_secret").orElseThrow())
                    .redirectErrorStream(true)
                    .start();
            List<String> output = new ArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.add(line);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the child is gone
                }
            });
            try {
                boolean finished = child.waitFor(Duration.ofMinutes(4).toMillis(), TimeUnit.MILLISECONDS);
                assertThat(finished).as("child sync finished; output: %s", output).isTrue();
            } finally {
                child.destroyForcibly();
            }
            reader.join(5000);
            assertThat(child.exitValue()).as("child exit; output: %s", output).isZero();
            String result;
            synchronized (output) {
                result = output.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow().substring(7);
            }
            JsonNode json = SyncJson.tree(result);
            System.out.println("bounded-heap sync of " + RECORDS + " records: " + result);
            assertThat(json.get("created").asLong()).isEqualTo(RECORDS);
            assertThat(json.get("failed").asLong()).isZero();
            assertThat(json.get("shards").asLong()).isEqualTo(RECORDS);
            assertThat(json.get("maxHeapBytes").asLong()).isLessThanOrEqualTo(128L * 1024 * 1024);
        }
        try (EmbeddedStorage reopened = EmbeddedStorage.open(dataDir, Clock.systemUTC())) {
            assertThat(reopened.shards().count(BoundedHeapSyncMain.TENANT, "contact")).isEqualTo(RECORDS);
            assertThat(reopened.runs().history(BoundedHeapSyncMain.TENANT, BoundedHeapSyncMain.INTEGRATION, 1))
                    .singleElement().satisfies(run -> assertThat(run.stats().created()).isEqualTo(RECORDS));
        }
    }
}
