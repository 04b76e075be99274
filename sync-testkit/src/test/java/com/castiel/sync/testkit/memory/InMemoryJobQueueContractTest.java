package com.castiel.sync.testkit.memory;

import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.testkit.contract.JobQueueContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.util.List;

class InMemoryJobQueueContractTest extends JobQueueContract {

    @Override
    protected JobQueue createQueue(MutableClock clock) {
        return new InMemoryJobQueue(clock);
    }

    @Override
    protected JobQueue createQueue(MutableClock clock, List<QueueSpec> queues) {
        return new InMemoryJobQueue(clock, queues);
    }
}
