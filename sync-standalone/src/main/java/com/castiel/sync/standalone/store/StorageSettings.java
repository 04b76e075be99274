package com.castiel.sync.standalone.store;

import com.castiel.sync.port.QueueSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How to open {@link EmbeddedStorage}.
 *
 * @param dataDirectory the directory holding the database, the lock file and (unless the key
 *     comes from the environment) the vault key; created owner-only when missing
 * @param clock every time decision of every store and of the queue
 * @param queues the work queues to serve (the seed's three by default)
 * @param environment environment lookup, for {@code SYNC_MASTER_KEY} ({@code System::getenv}
 *     by default; tests inject a map)
 * @param readerConnections reader connections in the pool (4 by default)
 */
public record StorageSettings(Path dataDirectory, Clock clock, List<QueueSpec> queues, UnaryOperator<String> environment,
                              int readerConnections) {

    public StorageSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(clock, "clock");
        queues = List.copyOf(queues);
        Objects.requireNonNull(environment, "environment");
        if (readerConnections < 1) {
            throw new IllegalArgumentException("readerConnections must be at least 1, was " + readerConnections);
        }
    }

    /** The production defaults for a data directory: seed queues, the process environment, 4 readers. */
    public static StorageSettings of(Path dataDirectory, Clock clock) {
        return new StorageSettings(dataDirectory, clock, QueueSpec.ALL, System::getenv, 4);
    }

    public StorageSettings withQueues(List<QueueSpec> specs) {
        return new StorageSettings(dataDirectory, clock, specs, environment, readerConnections);
    }

    public StorageSettings withEnvironment(UnaryOperator<String> lookup) {
        return new StorageSettings(dataDirectory, clock, queues, lookup, readerConnections);
    }

    public StorageSettings withReaderConnections(int count) {
        return new StorageSettings(dataDirectory, clock, queues, environment, count);
    }
}
