package com.castiel.sync.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A claim on running an integration's scheduled sync, held in the integration document so that
 * every host sharing the store sees it: two scheduled runs of one integration must never overlap
 * (they would share a checkpoint, and one's sweep could act on the other's cleared seen-set).
 *
 * @param owner opaque id of the run holding it
 * @param until when it lapses unless renewed; a lapsed lease can be taken by anyone
 */
public record RunLease(String owner, Instant until) {

    public RunLease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
    }

    /** Whether someone other than {@code candidate} holds it at {@code now}. */
    public boolean heldByOtherThan(String candidate, Instant now) {
        return !owner.equals(candidate) && until.isAfter(now);
    }
}
