package com.castiel.sync.bench;

import com.castiel.sync.bench.process.FakeOrgMain;
import com.castiel.sync.bench.scenario.InboundMain;
import com.castiel.sync.bench.scenario.LimitsMain;
import com.castiel.sync.bench.scenario.SchedulerMain;
import com.castiel.sync.bench.scenario.WriteBackMain;
import com.castiel.sync.bench.webhook.WebhookLoadMain;
import com.castiel.sync.bench.webhook.WebhookServerMain;
import java.util.Arrays;

/**
 * Entry point of the benchmark jar. The first argument names a role:
 * <ul>
 *   <li>{@code run [--quick] [--doc docs/PERFORMANCE.md] [--work bench/out] [--only 1,2] [--no-jmh]}:
 *       the end-to-end benchmark ({@link BenchRun}), which starts the other roles as child JVMs;</li>
 *   <li>{@code jmh [JMH options]}: the JMH micro-benchmarks ({@code org.openjdk.jmh.Main});</li>
 *   <li>the child roles ({@code fake-org}, {@code inbound}, {@code limits}, …), started by
 *       {@code run}, not by hand.</li>
 * </ul>
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    public static void main(String[] args) throws Exception {
        // Before anything touches SLF4J: the benchmark's own quiet logging configuration.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "castiel-bench-logback.xml");
        }
        String role = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (role) {
            case "run" -> System.exit(BenchRun.main(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "fake-org" -> FakeOrgMain.main(rest);
            case "inbound" -> InboundMain.main(rest);
            case "limits" -> LimitsMain.main(rest);
            case "writeback" -> WriteBackMain.main(rest);
            case "scheduler" -> SchedulerMain.main(rest);
            case "webhook-server" -> WebhookServerMain.main(rest);
            case "webhook-load" -> WebhookLoadMain.main(rest);
            default -> {
                System.err.println("unknown role '" + role + "'; use run, jmh, or a child role started by run");
                System.exit(2);
            }
        }
    }
}
