package com.castiel.sync.standalone.demo;

import java.nio.file.Path;

/**
 * How the demo runs.
 *
 * @param records Accounts seeded in the fake Salesforce org (each also gets a Contact, which the
 *     demo does not sync)
 * @param faultRate fraction of API requests answered with a fault (rate limit, 503, connection
 *     reset, expired token, in equal parts); 0 for none
 * @param dataDir data directory, or {@code null} for a temporary one deleted at the end
 * @param port HTTP port; 0 picks a free one
 * @param seed seed of the data and of the fault injection, printed so a run can be replayed
 */
public record DemoOptions(int records, double faultRate, Path dataDir, int port, long seed) {

    public DemoOptions {
        if (records < 1) {
            throw new IllegalArgumentException("--records must be at least 1");
        }
        if (faultRate < 0 || faultRate >= 1) {
            throw new IllegalArgumentException("--faults must be a fraction from 0 up to (not including) 1");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535");
        }
    }
}
