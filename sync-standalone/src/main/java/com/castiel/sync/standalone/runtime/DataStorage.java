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
