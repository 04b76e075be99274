package com.castiel.sync.testkit.memory;

import com.castiel.sync.port.RunStore;
import com.castiel.sync.testkit.contract.RunStoreContract;
import com.castiel.sync.testkit.time.MutableClock;

class InMemoryRunStoreContractTest extends RunStoreContract {

    @Override
    protected RunStore createStore(MutableClock clock) {
        return new InMemoryRunStore();
    }
}
