package com.castiel.sync.testkit.memory;

import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.testkit.contract.IntegrationStoreContract;
import com.castiel.sync.testkit.time.MutableClock;

class InMemoryIntegrationStoreContractTest extends IntegrationStoreContract {

    @Override
    protected IntegrationStore createStore(MutableClock clock) {
        return new InMemoryIntegrationStore(clock);
    }
}
