package com.castiel.sync.standalone.vault;

import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import com.castiel.sync.standalone.store.StorageSettings;
import com.castiel.sync.testkit.contract.CredentialStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EncryptedCredentialStoreContractTest extends CredentialStoreContract {

    @TempDir
    Path dir;

    private EmbeddedStorage storage;

    @Override
    protected CredentialStore createStore(MutableClock clock) {
        storage = EmbeddedStorage.open(StorageSettings.of(dir, clock).withEnvironment(name -> null));
        return storage.credentials();
    }

    @Override
    protected void cleanUp() {
        storage.close();
    }
}
