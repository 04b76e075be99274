package com.castiel.sync.port;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * What the inbound pipeline needs to know about one external relationship without reading its
 * shard's document: enough to tell that a fetched record is unchanged (its content hash, the
 * last seen modification stamp, status and direction) and whether the full sync's sweep must act
 * on a link whose record was not seen (when it was last synced, whether the shard is already
 * soft-deleted).
 *
 * <p>A link state is a snapshot: it is what the store held when it was read, and carries no etag.
 * Whoever decides to change the shard loads it (with its etag) first.
 *
 * @param shardId the shard that holds the link
 * @param externalId the linked record's id; {@code null} for a link awaiting its external id (a
 *     write-back create that has not returned yet)
 * @param lastSyncedHash {@link ExternalRelationship#lastSyncedHash()}, {@code null} before the
 *     first sync
 * @param lastSeenModifiedAt {@link ExternalRelationship#lastSeenModifiedAt()}, may be {@code null}
 * @param lastSyncedAt {@link ExternalRelationship#lastSyncedAt()}, may be {@code null}
 * @param syncStatus {@link ExternalRelationship#syncStatus()}, never {@code null}
 * @param syncDirection {@link ExternalRelationship#syncDirection()}, never {@code null}
 * @param shardDeleted whether the shard is soft-deleted ({@link Shard#isDeleted()})
 */
public record LinkState(
        ShardId shardId,
        String externalId,
        String lastSyncedHash,
        Instant lastSeenModifiedAt,
        Instant lastSyncedAt,
        SyncStatus syncStatus,
        SyncDirection syncDirection,
        boolean shardDeleted) {

    public LinkState {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(syncStatus, "syncStatus");
        Objects.requireNonNull(syncDirection, "syncDirection");
    }

    /** The state of {@code relationship}, one of {@code shard}'s relationships. */
    public static LinkState of(Shard shard, ExternalRelationship relationship) {
        return new LinkState(shard.id(), relationship.externalId(), relationship.lastSyncedHash(), relationship.lastSeenModifiedAt(),
                relationship.lastSyncedAt(), relationship.syncStatus(), relationship.syncDirection(), shard.isDeleted());
    }
}
