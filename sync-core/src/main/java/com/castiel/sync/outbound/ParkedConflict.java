package com.castiel.sync.outbound;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.PendingConflict;
import com.castiel.sync.model.ShardId;
import java.util.Objects;

/**
 * A conflict parked by the {@code manual} policy, as the {@link ConflictDesk} shows it.
 *
 * @param shardId the shard
 * @param shardTypeId its type
 * @param integrationId the integration whose relationship is in conflict
 * @param externalEntity the linked entity
 * @param externalId the linked record
 * @param conflict the fields changed on both sides, with base, Castiel and external values
 *     (an external value of {@code null} is absent or, for conflicts found without field values,
 *     unknown), the external version seen and when it was found
 * @param shardEtag the shard's etag, to resolve against exactly this state
 */
public record ParkedConflict(ShardId shardId, String shardTypeId, IntegrationId integrationId, String externalEntity, String externalId,
                             PendingConflict conflict, String shardEtag) {

    public ParkedConflict {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(conflict, "conflict");
    }
}
