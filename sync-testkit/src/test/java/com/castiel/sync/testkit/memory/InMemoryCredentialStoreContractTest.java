package com.castiel.sync.testkit.memory;

import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.testkit.contract.CredentialStoreContract;
import com.castiel.sync.testkit.time.MutableClock;

class InMemoryCredentialStoreContractTest extends CredentialStoreContract {

    @Override
    protected CredentialStore createStore(MutableClock clock) {
        return new InMemoryCredentialStore();
    }
}
