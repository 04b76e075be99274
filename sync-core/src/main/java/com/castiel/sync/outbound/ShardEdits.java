package com.castiel.sync.outbound;

import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * User edits of shards for hosts (the standalone admin API, the demo, Castiel services embedding
 * the engine): each edit is stored with an optimistic etag check, stamped with its actor, and then
 * handed to the {@link WriteBackTrigger}, so linked external records follow.
 *
 * <p>The actor is a user id or {@code system}; the engine's own origin
 * ({@link Shard#ENGINE_ORIGIN_PREFIX}) is refused here, because it would silently suppress
 * write-back.
 *
 * <p>Errors: a stale {@code ifMatch} or a concurrent writer raises {@link StoreConflictException}
 * and nothing is stored or sent; a missing shard raises {@link NoSuchElementException} naming it.
 * The write-back messages are sent after the store write; see {@link WriteBackTrigger} for what a
 * crash in between means.
 *
 * <p>Thread-safe.
 */
public final class ShardEdits {

    private final ShardStore shards;
    private final WriteBackTrigger trigger;
    private final Clock clock;

    public ShardEdits(ShardStore shards, WriteBackTrigger trigger, Clock clock) {
        this.shards = Objects.requireNonNull(shards, "shards");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores a new shard. Relationships without an external id (and with a direction that writes
     * back) make the provider create the record; the write-back stores the new id on them.
     *
     * @throws StoreConflictException when the id exists or another shard holds one of its links
     */
    public ShardEdit create(Shard shard, String actor) {
        Objects.requireNonNull(shard, "shard");
        requireUserActor(actor);
        Instant now = clock.instant();
        Shard toStore = new Shard(shard.id(), shard.tenantId(), shard.shardTypeId(), shard.structuredData().deepCopy(),
                shard.externalRelationships(), now, now, null, null, actor);
        Shard stored = shards.write(shard.tenantId(), List.of(new ShardWrite.Insert(toStore))).get(0);
        return new ShardEdit(stored, trigger.onShardChanged(null, stored, actor));
    }

    /**
     * Changes a shard's {@code structuredData}.
     *
     * @param ifMatch the etag the shard must still have, or {@code null} to edit whatever is stored
     * @param change builds the new data from a copy of the current data (it may modify and return
     *     its argument)
     */
    public ShardEdit update(TenantId tenant, ShardId id, String ifMatch, UnaryOperator<ObjectNode> change, String actor) {
        Objects.requireNonNull(change, "change");
        requireUserActor(actor);
        Shard current = current(tenant, id, ifMatch);
        ObjectNode data = Objects.requireNonNull(change.apply(current.structuredData().deepCopy()), "change returned no data");
        Instant now = clock.instant();
        Shard after = current.withData(data, now).changedBy(actor, now);
        Shard stored = shards.write(tenant, List.of(new ShardWrite.Replace(after))).get(0);
        return new ShardEdit(stored, trigger.onShardChanged(current, stored, actor));
    }

    /** Replaces a shard's {@code structuredData} with {@code data}. */
    public ShardEdit replaceData(TenantId tenant, ShardId id, String ifMatch, ObjectNode data, String actor) {
        Objects.requireNonNull(data, "data");
        return update(tenant, id, ifMatch, ignored -> data.deepCopy(), actor);
    }

    /** Soft-deletes a shard (sets {@code deletedAt}); linked records are deleted in the provider. */
    public ShardEdit softDelete(TenantId tenant, ShardId id, String ifMatch, String actor) {
        requireUserActor(actor);
        Shard current = current(tenant, id, ifMatch);
        if (current.isDeleted()) {
            return new ShardEdit(current, List.of());
        }
        Instant now = clock.instant();
        Shard stored = shards.write(tenant, List.of(new ShardWrite.Replace(current.softDeleted(now).changedBy(actor, now)))).get(0);
        return new ShardEdit(stored, trigger.onShardChanged(current, stored, actor));
    }

    /**
     * Removes a shard from the store; linked records are deleted in the provider. Removing a shard
     * that does not exist does nothing.
     */
    public ShardEdit delete(TenantId tenant, ShardId id, String ifMatch, String actor) {
        requireUserActor(actor);
        Shard current = shards.get(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(id, "id")).orElse(null);
        if (current == null) {
            return new ShardEdit(null, List.of());
        }
        requireEtag(current, ifMatch);
        shards.write(tenant, List.of(new ShardWrite.Delete(id, current.etag())));
        return new ShardEdit(null, trigger.onShardChanged(current, null, actor));
    }

    private Shard current(TenantId tenant, ShardId id, String ifMatch) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Shard current = shards.get(tenant, id)
                .orElseThrow(() -> new NoSuchElementException("shard " + id + " of tenant " + tenant + " does not exist"));
        requireEtag(current, ifMatch);
        return current;
    }

    private static void requireEtag(Shard current, String ifMatch) {
        if (ifMatch != null && !ifMatch.equals(current.etag())) {
            throw new StoreConflictException("shard " + current.id() + " has changed (etag " + current.etag() + ", expected " + ifMatch
                    + "); reload it and edit again", List.of(current.id().value()));
        }
    }

    private static void requireUserActor(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor must name who makes the edit (a user id or 'system')");
        }
        if (actor.startsWith(Shard.ENGINE_ORIGIN_PREFIX)) {
            throw new IllegalArgumentException("actor '" + actor + "' is reserved for the engine's own writes, which never write back");
        }
    }
}
