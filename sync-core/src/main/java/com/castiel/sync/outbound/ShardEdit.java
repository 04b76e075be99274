package com.castiel.sync.outbound;

import com.castiel.sync.model.Shard;
import com.castiel.sync.model.WriteBackMessage;
import java.util.List;

/**
 * The result of a user edit made through {@link ShardEdits}.
 *
 * @param shard the shard as stored (with its new etag); {@code null} after a removal
 * @param writeBacks the write-back messages the edit sent, one per qualifying relationship
 */
public record ShardEdit(Shard shard, List<WriteBackMessage> writeBacks) {

    public ShardEdit {
        writeBacks = List.copyOf(writeBacks);
    }
}
