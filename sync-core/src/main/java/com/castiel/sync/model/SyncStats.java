package com.castiel.sync.model;

/**
 * Counts of what one sync did. {@code unchanged} records matched their stored hash and were not
 * written; {@code skipped} had no shard and the mapping does not create new ones.
 */
public record SyncStats(long created, long updated, long unchanged, long deleted, long skipped, long failed, long conflicts) {

    public static final SyncStats EMPTY = new SyncStats(0, 0, 0, 0, 0, 0, 0);

    public SyncStats plus(SyncStats o) {
        return new SyncStats(created + o.created, updated + o.updated, unchanged + o.unchanged,
                deleted + o.deleted, skipped + o.skipped, failed + o.failed, conflicts + o.conflicts);
    }

    /** Records looked at. */
    public long total() {
        return created + updated + unchanged + deleted + skipped + failed + conflicts;
    }

    /** Records written to the store. */
    public long written() {
        return created + updated + deleted;
    }
}
