package com.castiel.sync.testkit.jobs;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.retry.QueuedJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builders for integrations and job messages used by the jobs tests. */
final class Jobs {

    static final TenantId TENANT = TenantId.of("tenant-a");

    private Jobs() {
    }

    static Integration integration(String id, SyncFrequency frequency) {
        IntegrationData data = IntegrationData.of("salesforce", List.of()).withSyncFrequency(frequency);
        return new Integration(IntegrationId.of(id), TENANT, id, data, 0, null, null);
    }

    static SyncJobMessage syncJob(String integrationId, int attempt, String correlationId) {
        return new SyncJobMessage(IntegrationId.of(integrationId), TENANT, JobType.INCREMENTAL, "salesforce", null, List.of(),
                Instant.parse("2026-11-01T10:00:00Z"), attempt, correlationId, "scheduler");
    }

    static WriteBackMessage writeBack(String integrationId, String shardId, int attempt, String correlationId) {
        return new WriteBackMessage(ShardId.of(shardId), TENANT, Operation.UPDATE, List.of("name"), "salesforce", "001A",
                IntegrationId.of(integrationId), Instant.parse("2026-11-01T10:00:00Z"), "user-7", correlationId, attempt);
    }

    static OutgoingMessage message(String messageId, SyncJobMessage job) {
        QueuedJob q = QueuedJob.of(job);
        return new OutgoingMessage(messageId, null, q.toBytes(), job.correlationId(), null, null, q.properties());
    }

    static OutgoingMessage message(String messageId, WriteBackMessage job) {
        QueuedJob q = QueuedJob.of(job);
        return new OutgoingMessage(messageId, job.integrationId().value(), q.toBytes(), job.correlationId(), null, null, q.properties());
    }

    static SyncJobMessage decodeSyncJob(LockedMessage m) {
        return SyncJson.read(m.body(), SyncJobMessage.class);
    }

    /** Receives (and leaves locked) every message of a queue that is visible now. */
    static List<LockedMessage> receiveAll(JobQueue queue, String name) {
        List<LockedMessage> all = new ArrayList<>();
        for (Optional<LockedMessage> m = queue.receive(name, Duration.ZERO); m.isPresent(); m = queue.receive(name, Duration.ZERO)) {
            all.add(m.get());
        }
        return all;
    }
}
