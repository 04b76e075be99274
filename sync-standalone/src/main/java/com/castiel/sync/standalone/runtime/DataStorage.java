package com.castiel.sync.standalone.runtime;

import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.port.ShardStore;
import java.util.Objects;

/**
 * The ports of one data directory, opened together and closed together: what the runtime and the
 * admin commands run on. {@link #close()} closes the database cleanly (after the work on it has
 * stopped); it is idempotent.
 */
public interface DataStorage extends AutoCloseable {

    ShardStore shards();

    IntegrationStore integrations();

    RunStore runs();

    CredentialStore credentials();

    JobQueue queue();

    @Override
    void close();

    /**
     * Opens the embedded SQLite storage of a data directory (locking it against other processes).
     *
     * @throws com.castiel.sync.standalone.store.sqlite.StorageException when the directory is in
     *     use by another process or the database cannot be opened
     */
    static DataStorage open(java.nio.file.Path dataDirectory, java.time.Clock clock) {
        com.castiel.sync.standalone.store.EmbeddedStorage s = com.castiel.sync.standalone.store.EmbeddedStorage.open(dataDirectory, clock);
        return of(s.shards(), s.integrations(), s.runs(), s.credentials(), s.queue(), s::close);
    }

    /** Storage over given ports (tests, in-memory runs); {@code onClose} runs once on close. */
    static DataStorage of(ShardStore shards, IntegrationStore integrations, RunStore runs, CredentialStore credentials, JobQueue queue,
                          Runnable onClose) {
        Objects.requireNonNull(onClose, "onClose");
        return new DataStorage() {
            private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public ShardStore shards() {
                return shards;
            }

            @Override
            public IntegrationStore integrations() {
                return integrations;
            }

            @Override
            public RunStore runs() {
                return runs;
            }

            @Override
            public CredentialStore credentials() {
                return credentials;
            }

            @Override
            public JobQueue queue() {
                return queue;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    onClose.run();
                }
            }
        };
    }
}
