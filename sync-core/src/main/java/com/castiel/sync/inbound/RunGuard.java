package com.castiel.sync.inbound;

/**
 * Checked by a scheduled run before every page it writes and before its sweep: a run that no
 * longer owns its integration (its lease lapsed and another host took over) must stop before it
 * changes anything more.
 */
@FunctionalInterface
public interface RunGuard {

    /** A guard that never stops the run (single-host use, tests). */
    RunGuard NONE = () -> { };

    /**
     * @throws com.castiel.sync.spi.SyncException when the run must stop; the run is recorded as
     *     failed and its checkpoint left for whoever owns the integration now
     */
    void check();
}
