package com.castiel.sync.outbound;

/**
 * What one turn on a write-back session did.
 *
 * @param sessionId the session (the integration id)
 * @param received messages received
 * @param completed messages completed (written, merged, parked or nothing to do)
 * @param deadLettered messages dead-lettered (invalid records, gone records, unreadable bodies,
 *     refused authentication or configuration)
 * @param abandoned messages handed back to the queue unsettled, to be redelivered in order
 * @param written coalesced changes written to the provider
 * @param failed coalesced changes that failed for good
 * @param parked coalesced changes parked as conflicts for manual resolution
 * @param released true when the session was released early because transient failures outlasted
 *     the in-session retries
 * @param lockLost true when the session or a message lock was lost mid-way (the queue redelivers
 *     what was not settled)
 */
public record SessionOutcome(String sessionId, int received, int completed, int deadLettered, int abandoned, int written, int failed,
                             int parked, boolean released, boolean lockLost) {
}
