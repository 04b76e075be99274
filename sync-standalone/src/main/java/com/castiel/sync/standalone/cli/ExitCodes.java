package com.castiel.sync.standalone.cli;

/** The command line's exit statuses. */
public final class ExitCodes {

    /** Everything worked. */
    public static final int OK = 0;
    /** A sync (or the demo's check) failed. */
    public static final int SYNC_FAILED = 1;
    /** Bad usage or configuration; the message names the file and key or the option. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
