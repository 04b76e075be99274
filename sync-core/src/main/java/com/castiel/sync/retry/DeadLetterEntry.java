package com.castiel.sync.retry;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.TenantId;
import java.time.Instant;

/**
 * A dead letter as shown to an operator: where it came from, what job it was and why it died.
 * Fields the body could not supply are {@code null}; {@link #decodeError()} says why.
 *
 * @param queue work queue
 * @param sequenceNumber its number in the dead-letter sub-queue (the handle for replay and purge)
 * @param messageId original message id
 * @param correlationId correlation id
 * @param tenantId tenant
 * @param integrationId integration
 * @param provider provider name
 * @param jobType for inbound jobs: {@code full_sync}, {@code incremental} or {@code webhook}
 * @param operation for write-backs: {@code create}, {@code update} or {@code delete}
 * @param shardId for write-backs: the shard
 * @param attempts the job's attempt number when it died, 0 when the body is unreadable
 * @param deliveryCount broker deliveries of the last attempt
 * @param reason dead-letter reason (error code or broker reason)
 * @param error dead-letter description (last error, attempts, correlation id)
 * @param deadLetteredAt when
 * @param decodeError why the body could not be read, or {@code null}
 */
public record DeadLetterEntry(
        String queue,
        long sequenceNumber,
        String messageId,
        String correlationId,
        TenantId tenantId,
        IntegrationId integrationId,
        String provider,
        JobType jobType,
        Operation operation,
        ShardId shardId,
        int attempts,
        int deliveryCount,
        String reason,
        String error,
        Instant deadLetteredAt,
        String decodeError) {

    /** Whether the body was a readable job. */
    public boolean readable() {
        return decodeError == null;
    }
}
