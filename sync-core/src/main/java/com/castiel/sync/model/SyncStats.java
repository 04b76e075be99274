package com.castiel.sync.model;

/**
 * Counts of what one sync did. Every record looked at lands in exactly one of created, updated,
 * unchanged, deleted, skipped or failed. {@code unchanged} records matched their stored hash (or
 * were older than what was already applied) and were not written; {@code skipped} had no shard
 * and the mapping does not create new ones (or the delete behaviour is {@code ignore});
 * {@code conflicts} counts, among the updated, records with fields changed on both sides.
 */
public record SyncStats(long created, long updated, long unchanged, long deleted, long skipped, long failed, long conflicts) {

    public static final SyncStats EMPTY = new SyncStats(0, 0, 0, 0, 0, 0, 0);

    public SyncStats plus(SyncStats o) {
        return new SyncStats(created + o.created, updated + o.updated, unchanged + o.unchanged,
                deleted + o.deleted, skipped + o.skipped, failed + o.failed, conflicts + o.conflicts);
    }

    /** Records looked at. */
    public long total() {
        return created + updated + unchanged + deleted + skipped + failed;
    }

    /** Records written to the store. */
    public long written() {
        return created + updated + deleted;
    }
}
