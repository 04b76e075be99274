package com.castiel.sync.standalone.store;

import com.castiel.sync.port.ShardStore;
import com.castiel.sync.testkit.contract.ShardStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteShardStoreContractTest extends ShardStoreContract {

    @TempDir
    Path dir;

    private final OpenStorages storages = new OpenStorages();

    @Override
    protected ShardStore createStore(MutableClock clock) {
        return storages.open(dir, clock).shards();
    }

    @Override
    protected void cleanUp() {
        storages.close();
    }
}
