/**
 * Outbound write-back: Castiel shard changes written to the linked external records, in order
 * per integration.
 *
 * <p>The doors:
 * <ul>
 *   <li>{@link com.castiel.sync.outbound.WriteBackTrigger} turns a stored shard change (before,
 *       after, actor) into {@code WriteBackMessage}s on {@code sync-outbound}, session id =
 *       integration id; changes made by the engine itself never qualify.
 *       {@link com.castiel.sync.outbound.ShardEdits} is the host-facing way to edit shards with an
 *       etag check and trigger write-back in one call.</li>
 *   <li>{@link com.castiel.sync.outbound.WriteBackProcessor} processes one session at a time:
 *       gathers and coalesces consecutive messages, reads the external records the conflict policy
 *       needs, merges three-way, writes with the adapter's batch calls, records per-record results
 *       on the relationships and settles the messages (transient failures are retried inside the
 *       session to keep order).</li>
 *   <li>{@link com.castiel.sync.outbound.ConflictDesk} lists and resolves conflicts parked by the
 *       {@code manual} policy.</li>
 * </ul>
 *
 * <p>Echo suppression: after a write-back the relationship holds the content hash the next
 * inbound read of the record will produce and the version the provider returned, so that read
 * counts the record unchanged and writes nothing.
 */
package com.castiel.sync.outbound;
