package com.castiel.sync.azure.testing;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.castiel.sync.azure.cosmos.CosmosSyncContainers;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database with the engine's containers on the {@link CosmosTestServer}, for one test;
 * {@link #close()} drops it. The account key is random: the server accepts any key, and no key
 * is checked in.
 */
public final class CosmosTestDatabase implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static CosmosClient client;

    private final String name;
    private final CosmosSyncContainers containers;

    private CosmosTestDatabase(String name, CosmosSyncContainers containers) {
        this.name = name;
        this.containers = containers;
    }

    public static CosmosTestDatabase create() {
        String name = "db-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        return new CosmosTestDatabase(name, CosmosSyncContainers.open(client(), name, true));
    }

    /** The JVM's client for the test server (gateway mode, the only mode the server speaks). */
    public static synchronized CosmosClient client() {
        if (client == null) {
            byte[] key = new byte[64];
            new SecureRandom().nextBytes(key);
            client = new CosmosClientBuilder().endpoint(CosmosTestServer.endpoint())
                    .key(Base64.getEncoder().encodeToString(key))
                    .gatewayMode()
                    .contentResponseOnWriteEnabled(true)
                    .buildClient();
        }
        return client;
    }

    public CosmosSyncContainers containers() {
        return containers;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        client().getDatabase(name).delete();
    }
}
