package com.castiel.sync.standalone.store;

import com.castiel.sync.port.RunStore;
import com.castiel.sync.testkit.contract.RunStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunStoreContractTest extends RunStoreContract {

    @TempDir
    Path dir;

    private final OpenStorages storages = new OpenStorages();

    @Override
    protected RunStore createStore(MutableClock clock) {
        return storages.open(dir, clock).runs();
    }

    @Override
    protected void cleanUp() {
        storages.close();
    }
}
