package com.castiel.sync.standalone.store;

import com.castiel.sync.model.ExternalRelationship;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One row of {@code shard_link}: an external relationship as far as queries and uniqueness care.
 * {@code externalId} is {@code null} for a link awaiting its external id (such links never
 * collide).
 */
record ShardLinkKey(String integration, String entity, String externalId) {

    /** The distinct link keys of a shard's relationships, in relationship order. */
    static List<ShardLinkKey> of(Collection<ExternalRelationship> relationships) {
        LinkedHashSet<ShardLinkKey> keys = new LinkedHashSet<>();
        for (ExternalRelationship r : relationships) {
            keys.add(new ShardLinkKey(r.integrationId().value(), r.externalEntity(), r.externalId()));
        }
        return List.copyOf(keys);
    }

    boolean hasExternalId() {
        return externalId != null;
    }
}
