package com.castiel.sync.standalone.store;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Shard;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code shard_link} as a write stores it: the link's key and the state columns the
 * inbound pipeline reads instead of the document ({@link com.castiel.sync.port.LinkState}),
 * the shard's soft-deleted flag included, so that link states never touch the shard table.
 * Instants are {@link EpochNanos}; status and direction are their wire names.
 */
record ShardLinkRow(ShardLinkKey key, String syncedHash, Long seenModifiedAt, Long syncedAt, String syncStatus, String syncDirection,
                    boolean shardDeleted) {

    /**
     * The rows of a shard's relationships: one per distinct key, in relationship order, carrying
     * the state of the first relationship with that key (the one lookups by external id pick).
     */
    static List<ShardLinkRow> of(Shard shard) {
        Map<ShardLinkKey, ShardLinkRow> rows = new LinkedHashMap<>();
        for (ExternalRelationship r : shard.externalRelationships()) {
            ShardLinkKey key = new ShardLinkKey(r.integrationId().value(), r.externalEntity(), r.externalId());
            rows.putIfAbsent(key, new ShardLinkRow(key, r.lastSyncedHash(), EpochNanos.of(r.lastSeenModifiedAt()),
                    EpochNanos.of(r.lastSyncedAt()), r.syncStatus().wire(), r.syncDirection().wire(), shard.isDeleted()));
        }
        return List.copyOf(rows.values());
    }

    /** The keys of {@code rows}, in order. */
    static List<ShardLinkKey> keys(List<ShardLinkRow> rows) {
        List<ShardLinkKey> keys = new ArrayList<>(rows.size());
        rows.forEach(r -> keys.add(r.key()));
        return List.copyOf(keys);
    }
}
