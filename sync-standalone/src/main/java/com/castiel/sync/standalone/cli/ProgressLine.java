package com.castiel.sync.standalone.cli;

import com.castiel.sync.standalone.runtime.OneShotSync;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The one-line progress display of {@code sync} on a terminal: pages, records and records per
 * second, redrawn in place at most five times a second. Prints nothing when not on a terminal.
 */
final class ProgressLine implements OneShotSync.ProgressListener {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private boolean drawn;

    ProgressLine(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    // Synchronized: pages are reported from the scan's read-ahead thread, the end from the caller's.
    @Override
    public synchronized void afterPage(long pages, long records) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        drawn = true;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        err.print(String.format(Locale.ROOT, "\r  %,d pages  %,d records  %,.0f records/s   ", pages, records, records / seconds));
        err.flush();
    }

    /** Ends the line so later output starts on a fresh one. */
    synchronized void finish() {
        if (enabled && drawn) {
            err.println();
            err.flush();
        }
    }
}
