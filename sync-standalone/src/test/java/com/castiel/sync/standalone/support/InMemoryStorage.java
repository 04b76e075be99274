package com.castiel.sync.standalone.support;

import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.testkit.memory.InMemoryCredentialStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/** The test kit's in-memory ports as a {@link DataStorage}, remembering whether it was closed. */
public final class InMemoryStorage {

    private InMemoryStorage() {
    }

    public static DataStorage create(Clock clock, AtomicBoolean closed) {
        return DataStorage.of(new InMemoryShardStore(), new InMemoryIntegrationStore(clock), new InMemoryRunStore(),
                new InMemoryCredentialStore(), new InMemoryJobQueue(clock), () -> closed.set(true));
    }
}
