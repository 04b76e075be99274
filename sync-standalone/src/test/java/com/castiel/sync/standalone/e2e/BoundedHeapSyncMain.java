package com.castiel.sync.standalone.e2e;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link BoundedHeapSyncTest}: runs one full sync from the reference provider
 * into embedded storage under a small heap, and prints the outcome as one JSON line.
 *
 * <p>Arguments: base URL, data directory, refresh token, client id, client secret.
 */
public final class BoundedHeapSyncMain {

    static final TenantId TENANT = TenantId.of("tenant-e2e");
    static final IntegrationId INTEGRATION = IntegrationId.of("int-e2e");

    private BoundedHeapSyncMain() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        Path dataDir = Path.of(args[1]);
        Clock clock = Clock.systemUTC();
        try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, clock)) {
            EntityMapping mapping = EntityMapping.of("contacts", "contact", List.of(
                    FieldMapping.of("name", "name").asRequired(),
                    FieldMapping.of("email", "email"),
                    FieldMapping.of("score", "metrics.score", FieldType.NUMBER),
                    FieldMapping.of("active", "active", FieldType.BOOLEAN)));
            Integration integration = new Integration(INTEGRATION, TENANT, "bounded heap",
                    IntegrationData.of("reference", List.of(mapping)).withSettings(Map.of("baseUrl", baseUrl)),
                    0, clock.instant(), clock.instant());
            storage.integrations().create(integration);
            storage.credentials().put(TENANT, INTEGRATION, new Credentials(null, args[2], null, null, null,
                    Map.of("client_id", args[3], "client_secret", args[4])));
            EventPublisher events = e -> { };
            try (SyncEngine engine = SyncEngine.builder()
                    .shards(storage.shards()).integrations(storage.integrations()).runs(storage.runs())
                    .credentials(storage.credentials()).queue(storage.queue()).events(events).clock(clock)
                    .inboundSettings(InboundSettings.defaults().withPageSize(200))
                    .build()) {
                SyncJobMessage job = new SyncJobMessage(INTEGRATION, TENANT, JobType.FULL_SYNC, "reference", null, List.of(),
                        clock.instant(), 1, "e2e", "test");
                SyncStats stats = engine.inboundHandler().handle(job).orElseThrow().run().stats();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("created", stats.created());
                out.put("failed", stats.failed());
                out.put("shards", storage.shards().count(TENANT, "contact"));
                out.put("peakHeapBytes", peakHeap());
                out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
                System.out.println("RESULT " + SyncJson.write(out));
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
