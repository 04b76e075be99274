package com.castiel.sync.standalone.store.sqlite;

/**
 * The embedded database failed: the disk is full or unreadable, the file is corrupt or locked by
 * another program, or the data directory cannot be used. Not a conflict (those are
 * {@link com.castiel.sync.port.StoreConflictException}); retrying may help only when the cause was
 * transient. Messages name the operation and SQLite's reason, never stored values.
 */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
