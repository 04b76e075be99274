package com.castiel.sync.bench.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The parent's handle on a fake Salesforce org running in its own JVM ({@link FakeOrgMain}):
 * starts and seeds it, changes its per-second cap, reads its counters, and stops it on
 * {@link #close()}. One thread at a time.
 */
public final class FakeOrg implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final ChildJvm child;
    private final OrgCoordinates coordinates;
    private final int accounts;
    private final double seedSeconds;

    private FakeOrg(ChildJvm child, JsonNode ready) {
        this.child = child;
        this.coordinates = OrgCoordinates.fromJson(ready);
        this.accounts = ready.path("accounts").asInt();
        this.seedSeconds = ready.path("seedSeconds").asDouble();
    }

    /**
     * Starts an org seeded with {@code records} Accounts (and as many Contacts).
     *
     * @param heap the fake JVM's {@code -Xmx} value, e.g. {@code 2g}
     */
    public static FakeOrg start(int records, long seed, String heap, Path log) {
        ChildJvm child = ChildJvm.start("fake-org", List.of("-Xmx" + heap, "-Xms" + heap), List.of(Integer.toString(records),
                Long.toString(seed)), log);
        try {
            // seeding runs at roughly 25,000 records/s; allow for a slow, shared machine
            Duration timeout = Duration.ofSeconds(60 + records / 5_000L);
            return new FakeOrg(child, child.awaitLine("READY ", timeout));
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    public OrgCoordinates coordinates() {
        return coordinates;
    }

    public int accounts() {
        return accounts;
    }

    public double seedSeconds() {
        return seedSeconds;
    }

    /** Refuses calls beyond {@code perSecond} per second from now on (0: no cap). */
    public void rateLimit(int perSecond) {
        child.send("rate " + perSecond);
        child.awaitLine("OK ", COMMAND_TIMEOUT);
    }

    /** Requests served so far and the fake process's CPU seconds. */
    public Stats stats() {
        child.send("stats");
        JsonNode ok = child.awaitLine("OK ", COMMAND_TIMEOUT);
        return new Stats(ok.path("requests").asLong(), ok.path("cpuSeconds").asDouble());
    }

    @Override
    public void close() {
        child.close();
    }

    /** Counters of the fake process. */
    public record Stats(long requests, double cpuSeconds) {
    }
}
