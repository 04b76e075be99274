package com.castiel.sync.azure.cosmos;

import com.castiel.sync.azure.testing.CosmosTestDatabase;
import com.castiel.sync.azure.testing.CosmosTestServer;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.testkit.contract.RunStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServer.class)
class CosmosRunStoreContractTest extends RunStoreContract {

    private CosmosTestDatabase database;

    @Override
    protected RunStore createStore(MutableClock clock) {
        database = CosmosTestDatabase.create();
        return new CosmosRunStore(database.containers().runs());
    }

    @Override
    protected void cleanUp() {
        database.close();
    }
}
