package com.castiel.sync.port;

import java.util.List;

/**
 * A conditional store write lost a race: a stale etag or version, an existing id, or an
 * external link already held by another shard. The caller re-reads and retries.
 */
public class StoreConflictException extends RuntimeException {

    private final List<String> ids;

    public StoreConflictException(String message, List<String> ids) {
        super(message);
        this.ids = List.copyOf(ids);
    }

    /** Ids of the documents whose write failed. */
    public List<String> ids() {
        return ids;
    }
}
