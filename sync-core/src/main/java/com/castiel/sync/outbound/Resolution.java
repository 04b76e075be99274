package com.castiel.sync.outbound;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldConflict;
import com.castiel.sync.model.PendingConflict;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.spi.WriteResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one record stands once its write-back is done: what changes in the shard and what the
 * relationship remembers, so that the next inbound read of the record counts it unchanged.
 *
 * @param castielChanges flat shard values (keyed by shard field path) the merge took from the
 *     external side, to apply to the shard; empty when Castiel keeps all its values
 * @param syncedValues the new {@code lastSyncedValues}: the inbound-mapped values the external
 *     record holds after the write, except that fields parked for manual resolution keep their
 *     old base so the conflict stays visible
 * @param syncedHash the new {@code lastSyncedHash}: the hash the next inbound read of the record
 *     is predicted to produce; {@code null} when it cannot be predicted, which makes that read
 *     merge instead of skipping
 * @param observed whether the record was written or read, so {@code lastSyncedAt} moves to now;
 *     otherwise it keeps its value
 * @param read the record as read before writing, or {@code null}
 * @param valuesCompared whether field values of both sides were compared; without that, an
 *     earlier parked conflict is kept
 * @param conflicts fields changed on both sides, whichever way they were resolved
 * @param parked conflicts left for manual resolution
 */
record Resolution(ObjectNode castielChanges, ObjectNode syncedValues, String syncedHash, boolean observed, ExternalRecord read,
                  boolean valuesCompared, List<FieldConflict> conflicts, List<FieldConflict> parked) {

    Resolution {
        castielChanges = castielChanges == null ? SyncJson.object() : castielChanges;
        conflicts = List.copyOf(conflicts);
        parked = List.copyOf(parked);
    }

    /** True when the conflicts could not all be resolved by the policy. */
    boolean hasParked() {
        return !parked.isEmpty();
    }

    /**
     * The relationship after this resolution.
     *
     * @param rel the relationship as it stands now (possibly re-read after a store conflict)
     * @param written the provider's answer to the write, or {@code null} when nothing was sent
     * @param now the settlement time
     */
    ExternalRelationship settle(ExternalRelationship rel, WriteResult.Written written, Instant now) {
        Objects.requireNonNull(rel, "rel");
        ExternalRelationship r = rel;
        if (written != null && written.externalId() != null && !written.externalId().equals(r.externalId())) {
            r = r.withExternalId(written.externalId());
        }
        String version;
        Instant modifiedAt;
        if (written != null) {
            // a version from before the write is stale now: better none than a certain precondition failure
            version = written.version();
            modifiedAt = written.modifiedAt() != null ? written.modifiedAt() : later(read == null ? null : read.modifiedAt(), r.lastSeenModifiedAt());
        } else if (read != null) {
            version = read.version();
            modifiedAt = later(read.modifiedAt(), r.lastSeenModifiedAt());
        } else {
            version = r.lastSeenVersion();
            modifiedAt = r.lastSeenModifiedAt();
        }
        Instant syncedAt = observed ? now : r.lastSyncedAt();
        ExternalRelationship next = r.synced(syncedAt, syncedValues, syncedHash, version, modifiedAt);
        if (!parked.isEmpty()) {
            // a conflict found without reading or writing the record knows no current version:
            // resolving it must not re-send a precondition that is known to fail
            String seen = written != null || read != null ? version : null;
            next = next.inConflict(new PendingConflict(parked, seen, now));
        } else if (!valuesCompared && r.syncStatus() == SyncStatus.CONFLICT && r.conflict() != null) {
            next = next.inConflict(r.conflict());
        }
        return next;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
