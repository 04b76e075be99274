package com.castiel.sync.port;

import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import java.util.Objects;

/** One change in a batched shard write. */
public sealed interface ShardWrite {

    /** The shard's id. */
    ShardId shardId();

    /**
     * Inserts a new shard. Fails with {@link StoreConflictException} when the id exists or when
     * another shard already holds one of its (integration, entity, external id) links.
     */
    record Insert(Shard shard) implements ShardWrite {
        public Insert {
            Objects.requireNonNull(shard, "shard");
        }

        @Override
        public ShardId shardId() {
            return shard.id();
        }
    }

    /**
     * Replaces a shard. When {@code shard.etag()} is non-null the stored etag must equal it,
     * otherwise {@link StoreConflictException}. Replacing a shard that does not exist (deleted
     * meanwhile) also fails with {@link StoreConflictException}; a replace never creates.
     */
    record Replace(Shard shard) implements ShardWrite {
        public Replace {
            Objects.requireNonNull(shard, "shard");
        }

        @Override
        public ShardId shardId() {
            return shard.id();
        }
    }

    /** Deletes a shard; with a non-null {@code etag} only if it still has it. Deleting a missing shard is a no-op. */
    record Delete(ShardId shardId, String etag) implements ShardWrite {
        public Delete {
            Objects.requireNonNull(shardId, "shardId");
        }
    }
}
