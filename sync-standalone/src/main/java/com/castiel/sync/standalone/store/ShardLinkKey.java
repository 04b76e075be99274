package com.castiel.sync.standalone.store;

/**
 * One row of {@code shard_link}: an external relationship as far as queries and uniqueness care.
 * {@code externalId} is {@code null} for a link awaiting its external id (such links never
 * collide).
 */
record ShardLinkKey(String integration, String entity, String externalId) {

    boolean hasExternalId() {
        return externalId != null;
    }
}
