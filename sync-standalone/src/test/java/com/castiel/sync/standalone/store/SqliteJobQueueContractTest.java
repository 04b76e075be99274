package com.castiel.sync.standalone.store;

import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.contract.JobQueueContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobQueueContractTest extends JobQueueContract {

    @TempDir
    Path dir;

    private final OpenStorages storages = new OpenStorages();
    private int customQueues;

    @Override
    protected JobQueue createQueue(MutableClock clock) {
        return storages.open(dir, clock).queue();
    }

    @Override
    protected JobQueue createQueue(MutableClock clock, List<QueueSpec> queues) {
        // One storage per data directory: a second storage gets its own.
        return storages.open(dir.resolve("custom-" + ++customQueues), clock, queues).queue();
    }

    @Override
    protected void cleanUp() {
        storages.close();
    }
}
