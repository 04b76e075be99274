package com.castiel.sync.azure.cosmos;

import com.castiel.sync.azure.testing.CosmosTestDatabase;
import com.castiel.sync.azure.testing.CosmosTestServer;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.testkit.contract.ShardStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServer.class)
class CosmosShardStoreContractTest extends ShardStoreContract {

    private CosmosTestDatabase database;

    @Override
    protected ShardStore createStore(MutableClock clock) {
        database = CosmosTestDatabase.create();
        return new CosmosShardStore(database.containers().shards());
    }

    /** Cosmos batches hold 100 operations: a page is written shard by shard, each with its links. */
    @Override
    protected boolean transactionalBatches() {
        return false;
    }

    @Override
    protected void cleanUp() {
        database.close();
    }
}
