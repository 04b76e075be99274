package com.castiel.sync.outbound;

import java.time.Instant;

/**
 * The seed's {@code detectConflict}: a record counts as changed on both sides when the shard and
 * the external record were both modified after the relationship's last sync. It is the fallback
 * for providers that give no field values to compare; with values, the field-level
 * {@link com.castiel.sync.conflict.ThreeWayMerge} decides instead.
 */
final class RecordLevelConflict {

    private RecordLevelConflict() {
    }

    /**
     * @param shardModifiedAt when the shard last changed; unknown counts as changed
     * @param externalModifiedAt when the external record last changed; unknown counts as not
     *     changed, since nothing shows it did
     * @param lastSyncedAt when the two last agreed; {@code null} (never synced) makes any known
     *     external modification count
     */
    static boolean detect(Instant shardModifiedAt, Instant externalModifiedAt, Instant lastSyncedAt) {
        return castielMoved(shardModifiedAt, lastSyncedAt) && externalMoved(externalModifiedAt, lastSyncedAt);
    }

    static boolean castielMoved(Instant shardModifiedAt, Instant lastSyncedAt) {
        return shardModifiedAt == null || lastSyncedAt == null || shardModifiedAt.isAfter(lastSyncedAt);
    }

    static boolean externalMoved(Instant externalModifiedAt, Instant lastSyncedAt) {
        return externalModifiedAt != null && (lastSyncedAt == null || externalModifiedAt.isAfter(lastSyncedAt));
    }
}
