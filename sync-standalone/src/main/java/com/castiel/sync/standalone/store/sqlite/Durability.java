package com.castiel.sync.standalone.store.sqlite;

/**
 * What a committed write transaction survives. Both levels keep the database consistent after
 * any crash (SQLite's write-ahead log only ever replays whole transactions, in commit order); they
 * differ in whether the newest commits can be lost when the machine itself goes down.
 *
 * <p>In WAL mode SQLite appends each commit to the log file with a {@code write()} call. Once that
 * returns, the commit is in the operating system's page cache, so it survives the death of this
 * process ({@code kill -9}, an OOM kill, a JVM crash). Only an {@code fsync} of the log makes it
 * survive an operating-system crash or a power loss, and an fsync costs a disk flush (about
 * 0.2 ms on a local SSD, 1–10 ms on typical cloud disks).
 */
public enum Durability {

    /**
     * {@code PRAGMA synchronous=NORMAL}: durable against a process crash; a power loss or
     * operating-system crash may lose the last commits (the database then reopens at an earlier,
     * consistent point). The log is flushed at every checkpoint. Used for shard pages, runs,
     * checkpoints and integrations, which the engine can always redo from the provider.
     */
    PROCESS_CRASH("NORMAL"),

    /**
     * {@code PRAGMA synchronous=FULL}: the log is flushed before the commit returns, so the write
     * also survives a power loss. Used for what cannot be redone: accepted webhook events (the
     * provider already got its 200 and will not resend) and rotated credentials. Because the log
     * is one file, the flush also makes every earlier {@link #PROCESS_CRASH} commit durable.
     */
    POWER_LOSS("FULL");

    private final String pragmaValue;

    Durability(String pragmaValue) {
        this.pragmaValue = pragmaValue;
    }

    /** The value of {@code PRAGMA synchronous} that gives this level in WAL mode. */
    String pragmaValue() {
        return pragmaValue;
    }
}
