package com.castiel.sync.bench.process;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.fake.salesforce.FakeSalesforce;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The child JVM that hosts the fake Salesforce org, so its records (about 1.5 KB of heap each)
 * and its work never count against the engine's heap. Seeds {@code n} Accounts and {@code n}
 * Contacts, prints {@code READY <coordinates + seed facts>}, then serves until its standard input
 * closes, answering commands line by line with {@code OK <json>}:
 * <ul>
 *   <li>{@code rate N}: refuse API calls beyond N per second (0: no cap);</li>
 *   <li>{@code stats}: requests served and the process's CPU time so far.</li>
 * </ul>
 *
 * <p>Arguments: {@code <records> <seed>}.
 */
public final class FakeOrgMain {

    /** The org's daily allocation: high enough that usage-based slowdowns never start during a run. */
    static final long DAILY_API_LIMIT = 50_000_000L;

    private FakeOrgMain() {
    }

    public static void main(String[] args) throws IOException {
        int records = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        try (FakeSalesforce org = new FakeSalesforce(Clock.systemUTC()).start()) {
            org.dailyApiLimit(DAILY_API_LIMIT);
            org.seedAccountsAndContacts(records, seed);
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            OrgCoordinates at = new OrgCoordinates(org.loginUrl(), org.instanceUrl(), org.orgId(), org.issueRefreshToken(),
                    FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET);
            ObjectNode ready = (ObjectNode) SyncJson.tree(at.toJson());
            ready.put("accounts", org.count("Account"));
            ready.put("seedSeconds", seedSeconds);
            ChildOutput.line("READY ", ready);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                ObjectNode ok = SyncJson.object();
                switch (words[0]) {
                    case "rate" -> {
                        int perSecond = Integer.parseInt(words[1]);
                        org.rateLimitPerSecond(perSecond);
                        ok.put("rate", perSecond);
                    }
                    case "stats" -> {
                        ok.put("requests", org.journal().totalCount());
                        ok.put("cpuSeconds", ProcessCpu.seconds());
                    }
                    case "" -> {
                        continue;
                    }
                    default -> ok.put("error", "unknown command " + words[0]);
                }
                ChildOutput.line("OK ", ok);
            }
        }
    }
}
