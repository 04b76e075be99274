package com.castiel.sync.testkit.memory;

import com.castiel.sync.port.ShardStore;
import com.castiel.sync.testkit.contract.ShardStoreContract;
import com.castiel.sync.testkit.time.MutableClock;

class InMemoryShardStoreContractTest extends ShardStoreContract {

    @Override
    protected ShardStore createStore(MutableClock clock) {
        return new InMemoryShardStore();
    }
}
