package com.castiel.sync.standalone.store;

import com.castiel.sync.model.Shard;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.standalone.store.SqliteShardStore.CurrentRow;
import com.castiel.sync.standalone.store.SqliteShardStore.PreparedWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a shard batch against the rows it touches, in memory and in request order, with the
 * store's rules (existing ids, etag conditions, one shard per link), and works out the net change
 * per shard. The database is written only after every write of the batch passed, so a conflict
 * costs no rollback of half-applied statements. Not thread-safe: one plan per write transaction.
 */
final class ShardBatchPlan {

    /** What happened to a shard, seen from the rows before the batch. */
    enum Kind { INSERTED, UPDATED, DELETED }

    /**
     * The net change of one shard.
     *
     * @param rowId its row, for updates and deletes
     * @param lastWrite the write whose document ends up stored (null for deletes)
     * @param linksChanged whether its link rows must be rewritten (updates)
     */
    record Outcome(Kind kind, String shardId, long rowId, long etag, PreparedWrite lastWrite, List<ShardLinkKey> links,
                   boolean linksChanged) {
    }

    private final Map<String, CurrentRow> before;
    private final Map<ShardLinkKey, String> holders;
    private final Map<String, State> states = new LinkedHashMap<>();
    private long etagCounter;

    /**
     * @param before the touched shards' rows before the batch, by shard id (absent: no row)
     * @param holders who holds each link the batch wants, by link (absent: free); updated as the
     *     batch runs
     * @param etagCounter the store's etag counter before the batch
     */
    ShardBatchPlan(Map<String, CurrentRow> before, Map<ShardLinkKey, String> holders, long etagCounter) {
        this.before = before;
        this.holders = holders;
        this.etagCounter = etagCounter;
    }

    /**
     * Applies one write to the plan.
     *
     * @return the written shard with its new etag, {@code null} for a delete
     * @throws StoreConflictException when the write conflicts; the plan must then be dropped
     */
    Shard apply(PreparedWrite w) {
        State s = states.computeIfAbsent(w.shardId(), this::initialState);
        return switch (w.write()) {
            case ShardWrite.Insert insert -> {
                if (s.exists) {
                    throw conflict(w.shardId(), "shard " + w.shardId() + " already exists");
                }
                requireLinksFree(w);
                put(s, w);
                yield insert.shard().withEtag(ShardEtags.format(s.etag));
            }
            case ShardWrite.Replace replace -> {
                if (!s.exists) {
                    throw conflict(w.shardId(), "shard " + w.shardId() + " does not exist (deleted meanwhile?)");
                }
                requireEtag(s, w);
                requireLinksFree(w);
                release(s, w.shardId());
                put(s, w);
                yield replace.shard().withEtag(ShardEtags.format(s.etag));
            }
            case ShardWrite.Delete ignored -> {
                if (s.exists) {
                    requireEtag(s, w);
                    release(s, w.shardId());
                    s.exists = false;
                    s.lastWrite = null;
                    s.links = List.of();
                }
                yield null;
            }
        };
    }

    private State initialState(String shardId) {
        CurrentRow row = before.get(shardId);
        State s = new State();
        if (row != null) {
            s.exists = true;
            s.etag = row.etag();
            s.links = List.copyOf(row.links());
        }
        return s;
    }

    private void requireEtag(State s, PreparedWrite w) {
        if (w.expectedEtag() != null && w.expectedEtag() != s.etag) {
            throw conflict(w.shardId(), "shard " + w.shardId() + " was changed concurrently: its etag is stale");
        }
    }

    private void requireLinksFree(PreparedWrite w) {
        for (ShardLinkKey k : w.links()) {
            if (!k.hasExternalId()) {
                continue;
            }
            String holder = holders.get(k);
            if (holder != null && !holder.equals(w.shardId())) {
                throw conflict(w.shardId(), "shard " + w.shardId() + " links " + k.entity() + " " + k.externalId()
                        + " of integration " + k.integration() + ", which shard " + holder + " already holds");
            }
        }
    }

    private void release(State s, String shardId) {
        for (ShardLinkKey k : s.links) {
            if (k.hasExternalId()) {
                holders.remove(k, shardId);
            }
        }
    }

    private void put(State s, PreparedWrite w) {
        s.exists = true;
        s.etag = ++etagCounter;
        s.links = w.links();
        s.lastWrite = w;
        for (ShardLinkKey k : w.links()) {
            if (k.hasExternalId()) {
                holders.put(k, w.shardId());
            }
        }
    }

    /** The etag counter after the batch. */
    long etagCounter() {
        return etagCounter;
    }

    /** The net change of every shard the batch changed, in first-touch order. */
    List<Outcome> outcomes() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, State> e : states.entrySet()) {
            String id = e.getKey();
            State s = e.getValue();
            CurrentRow row = before.get(id);
            if (row != null && s.exists) {
                boolean linksChanged = !new HashSet<>(row.links()).equals(new HashSet<>(s.links)) || row.links().size() != s.links.size();
                outcomes.add(new Outcome(Kind.UPDATED, id, row.rowId(), s.etag, s.lastWrite, s.links, linksChanged));
            } else if (row != null) {
                outcomes.add(new Outcome(Kind.DELETED, id, row.rowId(), 0, null, List.of(), true));
            } else if (s.exists) {
                outcomes.add(new Outcome(Kind.INSERTED, id, 0, s.etag, s.lastWrite, s.links, true));
            }
        }
        return outcomes;
    }

    private static StoreConflictException conflict(String shardId, String message) {
        return new StoreConflictException(message, List.of(shardId));
    }

    /** A shard's state as the batch goes. */
    private static final class State {
        boolean exists;
        long etag;
        List<ShardLinkKey> links = List.of();
        PreparedWrite lastWrite;
    }
}
