package com.castiel.sync.standalone.store;

import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.testkit.contract.IntegrationStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteIntegrationStoreContractTest extends IntegrationStoreContract {

    @TempDir
    Path dir;

    private final OpenStorages storages = new OpenStorages();

    @Override
    protected IntegrationStore createStore(MutableClock clock) {
        return storages.open(dir, clock).integrations();
    }

    @Override
    protected void cleanUp() {
        storages.close();
    }
}
