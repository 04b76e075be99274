package com.castiel.sync.azure.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import java.util.Objects;

/**
 * The engine's three Cosmos containers in one database, each partitioned by {@code /tenantId}:
 * {@code shards} (shards and their link-uniqueness documents), {@code integrations}
 * (integrations and the cross-tenant registry of ids and webhook endpoint keys) and {@code runs}
 * (run history, checkpoints, entity sync state and full-scan seen-sets).
 *
 * <p>Deployed by {@code infra/main.bicep}; {@link #open} creates missing ones only when asked
 * (local and test setups), so a production identity needs only data-plane rights.
 *
 * @param shards the shards container
 * @param integrations the integrations container
 * @param runs the runs container
 */
public record CosmosSyncContainers(CosmosContainer shards, CosmosContainer integrations, CosmosContainer runs) {

    public static final String PARTITION_KEY_PATH = "/tenantId";
    public static final String SHARDS = "shards";
    public static final String INTEGRATIONS = "integrations";
    public static final String RUNS = "runs";

    public CosmosSyncContainers {
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(integrations, "integrations");
        Objects.requireNonNull(runs, "runs");
    }

    /**
     * The containers of {@code database}.
     *
     * @param createIfMissing create the database and containers when absent (needs control-plane
     *     rights with Entra ID; keys have them)
     */
    public static CosmosSyncContainers open(CosmosClient client, String database, boolean createIfMissing) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(database, "database");
        try {
            if (createIfMissing) {
                client.createDatabaseIfNotExists(database);
            }
            CosmosDatabase db = client.getDatabase(database);
            if (createIfMissing) {
                for (String name : new String[] {SHARDS, INTEGRATIONS, RUNS}) {
                    db.createContainerIfNotExists(new CosmosContainerProperties(name, PARTITION_KEY_PATH));
                }
            }
            return new CosmosSyncContainers(db.getContainer(SHARDS), db.getContainer(INTEGRATIONS), db.getContainer(RUNS));
        } catch (CosmosException e) {
            throw CosmosFailures.translate("opening database " + database, e);
        }
    }
}
