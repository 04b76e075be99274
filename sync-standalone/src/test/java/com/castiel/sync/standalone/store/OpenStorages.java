package com.castiel.sync.standalone.store;

import com.castiel.sync.port.QueueSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Opens storages in test directories (key file created in the directory) and closes them all. */
final class OpenStorages implements AutoCloseable {

    private final List<EmbeddedStorage> open = new ArrayList<>();

    EmbeddedStorage open(Path dir, Clock clock) {
        return track(EmbeddedStorage.open(StorageSettings.of(dir, clock).withEnvironment(name -> null)));
    }

    EmbeddedStorage open(Path dir, Clock clock, List<QueueSpec> queues) {
        return track(EmbeddedStorage.open(StorageSettings.of(dir, clock).withEnvironment(name -> null).withQueues(queues)));
    }

    private EmbeddedStorage track(EmbeddedStorage s) {
        open.add(s);
        return s;
    }

    @Override
    public void close() {
        for (EmbeddedStorage s : open) {
            s.close();
        }
        open.clear();
    }
}
