package com.castiel.sync.bench.process;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The child side of the harness protocol: a child JVM reports each result as one line
 * {@code RESULT <json>} on standard output; everything else it prints is log. Other prefixes
 * ({@code READY}, {@code OK}) are used by long-lived children that take commands.
 */
public final class ChildOutput {

    public static final String RESULT = "RESULT ";
    public static final String PHASE = "PHASE ";

    private ChildOutput() {
    }

    /** Prints one result line and flushes, so the parent sees it at once. */
    public static synchronized void result(ObjectNode json) {
        line(RESULT, json);
    }

    /**
     * Announces that a measured phase starts or ends ({@code PHASE {"name":…}}), so the parent can
     * read the counters of other processes (the fake org's CPU time) at the same moments.
     */
    public static synchronized void phase(String name) {
        ObjectNode o = SyncJson.object();
        o.put("name", name);
        line(PHASE, o);
    }

    /** Prints {@code prefix + json} on one line and flushes. */
    public static synchronized void line(String prefix, ObjectNode json) {
        System.out.println(prefix + SyncJson.write(json));
        System.out.flush();
    }
}
