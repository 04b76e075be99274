package com.castiel.sync.standalone.runtime;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.outbound.ConflictDesk;
import com.castiel.sync.outbound.OutboundSettings;
import com.castiel.sync.outbound.ShardEdits;
import com.castiel.sync.outbound.WriteBackProcessor;
import com.castiel.sync.outbound.WriteBackTrigger;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.retry.JobFailurePolicy;
import java.time.Clock;

/**
 * The write-back side of one engine, assembled from its ports: shard edits that trigger
 * write-backs, the processor that writes them per session, and the conflict desk.
 *
 * @param trigger decides which shard changes are written back and queues them
 * @param edits how the host changes shards so that write-back follows
 * @param processor processes one {@code sync-outbound} session at a time
 * @param conflicts lists and resolves conflicts parked by the {@code manual} policy
 */
public record WriteBack(WriteBackTrigger trigger, ShardEdits edits, WriteBackProcessor processor, ConflictDesk conflicts) {

    public static WriteBack of(SyncEngine engine, Clock clock, Sleeper sleeper) {
        SyncEngine.Ports p = engine.ports();
        WriteBackTrigger trigger = new WriteBackTrigger(p.integrations(), p.queue(), clock);
        ShardEdits edits = new ShardEdits(p.shards(), trigger, clock);
        WriteBackProcessor processor = new WriteBackProcessor(p.integrations(), p.shards(), engine.adapters(), p.queue(),
                JobFailurePolicy.withDefaults(clock), p.events(), engine.metrics(), clock, sleeper, OutboundSettings.defaults());
        ConflictDesk desk = new ConflictDesk(p.integrations(), p.shards(), trigger, clock);
        return new WriteBack(trigger, edits, processor, desk);
    }
}
