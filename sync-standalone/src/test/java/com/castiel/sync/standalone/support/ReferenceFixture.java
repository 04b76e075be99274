package com.castiel.sync.standalone.support;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.standalone.config.IntegrationConfig;
import com.castiel.sync.standalone.config.Limits;
import com.castiel.sync.standalone.config.ServerSettings;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.config.WorkerSettings;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A reference provider server with seeded contacts, and the standalone configuration of one
 * integration syncing them into {@code person} shards. Close it after the test.
 */
public final class ReferenceFixture implements AutoCloseable {

    public static final String INTEGRATION = "ref-contacts";
    public static final String TENANT = "tenant-a";
    public static final String ENDPOINT_KEY = "test-endpoint-key-0123456789";
    public static final String SHARD_TYPE = "person";

    private final ReferenceProviderServer server = new ReferenceProviderServer(Clock.systemUTC());
    private final Credentials credentials;

    public ReferenceFixture(int contacts) {
        server.start();
        credentials = server.connect();
        for (int i = 0; i < contacts; i++) {
            add("Contact " + i);
        }
    }

    /** The credentials of the integration (the same ones {@link #integration()} carries). */
    public Credentials connectCredentials() {
        return credentials;
    }

    public ReferenceProviderServer server() {
        return server;
    }

    public StoredRecord add(String name) {
        return server.store().create("contacts", SyncJson.object().put("name", name).put("email", name.replace(' ', '.') + "@example.com"));
    }

    public List<StoredRecord> live() {
        return server.store().find("contacts", r -> !r.deleted());
    }

    public IntegrationConfig integration() {
        return new IntegrationConfig(INTEGRATION, TENANT, "Reference contacts", "reference", null,
                Map.of("baseUrl", server.baseUrl().toString()), credentials,
                List.of(EntityMapping.of("contacts", SHARD_TYPE, List.of(FieldMapping.of("name", "name"), FieldMapping.of("email", "email")))),
                List.of(), SyncFrequency.everyMinutes(60), null, null, ENDPOINT_KEY, null, null);
    }

    /** A configuration on a free loopback port with short grace and tick, holding {@link #integration()}. */
    public StandaloneConfig config(Path dataDir) {
        return new StandaloneConfig("test.yaml", dataDir, new ServerSettings("127.0.0.1", 0, null), new Limits(0L, 2),
                new WorkerSettings(1, 5, 5, 2), new ArrayList<>(List.of(integration())));
    }

    @Override
    public void close() {
        server.close();
    }
}
