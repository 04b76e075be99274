package com.castiel.sync.schedule;

/**
 * What one {@link SyncScheduler#tick()} did.
 *
 * @param due integrations the store reported due (at most the tick's batch size)
 * @param claimed integrations this scheduler claimed and enqueued a sync for
 * @param skipped integrations not scheduled because they are {@code paused} or {@code needs_reauth}, or
 *     not yet due by this scheduler's clock
 * @param parked {@code manual} integrations (or ones whose cron never fires again) moved out of
 *     the due set without a sync
 * @param lostRaces integrations another writer changed first (another scheduler claimed them);
 *     left alone
 * @param failed claims whose enqueue failed (rolled back for the next tick), whose store write
 *     failed, or whose frequency is invalid (deferred)
 */
public record TickSummary(int due, int claimed, int skipped, int parked, int lostRaces, int failed) {

    public static final TickSummary EMPTY = new TickSummary(0, 0, 0, 0, 0, 0);

    public TickSummary plus(TickSummary o) {
        return new TickSummary(due + o.due, claimed + o.claimed, skipped + o.skipped, parked + o.parked,
                lostRaces + o.lostRaces, failed + o.failed);
    }
}
