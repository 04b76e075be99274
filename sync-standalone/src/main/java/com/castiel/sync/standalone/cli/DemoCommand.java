package com.castiel.sync.standalone.cli;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.standalone.demo.DemoOptions;
import com.castiel.sync.standalone.demo.DemoPhase;
import com.castiel.sync.standalone.demo.DemoScenario;
import com.castiel.sync.standalone.server.AdminToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo [--records N] [--faults RATE] [--once] [--json] [--data-dir DIR] [--port P]}: the
 * engine end to end against a fake Salesforce org. Without {@code --once} it keeps serving
 * afterwards so the webhook URL, admin API, dashboard and metrics can be explored; with it, it
 * exits 0 only if the embedded store and the fake agree record for record.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the engine end to end against a fake Salesforce org: full sync, webhook, write-back, incremental sync.")
final class DemoCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--records", defaultValue = "10000", paramLabel = "N", description = "Accounts in the fake org (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--faults", defaultValue = "0", paramLabel = "RATE",
            description = "Fraction of API requests answered with 429/503/connection resets/expired tokens (e.g. 0.05).")
    double faults;

    @Option(names = "--once", description = "Exit after the scenario: status 0 only if store and fake agree record for record.")
    boolean once;

    @Option(names = "--json", description = "Print one JSON object per phase.")
    boolean json;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: a temporary one, deleted at exit).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "HTTP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data and the faults (default ${DEFAULT-VALUE}).")
    long seed;

    DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        DemoOptions options = new DemoOptions(records, faults, dataDir, port, seed);
        try (DemoScenario demo = new DemoScenario(options)) {
            say(String.format(Locale.ROOT, "Starting a fake Salesforce org with %,d Accounts%s (seed %d)...", records,
                    faults > 0 ? String.format(Locale.ROOT, " and %.1f %% of API requests failing", faults * 100) : "", seed));
            demo.start();
            say("The engine is running at " + demo.baseUri() + " with data in " + demo.dataDir() + ".");
            report(demo.fullSync());
            report(demo.webhook());
            report(demo.writeBack());
            report(demo.incrementalSync());
            DemoPhase verified = demo.verify();
            report(verified);
            boolean ok = verified.failed() == 0 && verified.deleted() == 0 && demo.echoSuppressed();
            if (once) {
                return ok ? ExitCodes.OK : ExitCodes.SYNC_FAILED;
            }
            say("");
            say("Look around while it runs (Ctrl-C to stop):");
            say("  dashboard:  " + demo.baseUri() + "/#token=" + AdminToken.loadOrCreate(demo.dataDir()).reveal());
            say("  admin API:  " + demo.baseUri() + "/api/overview   (Authorization: Bearer <token from "
                    + demo.dataDir().resolve(AdminToken.FILE_NAME) + ">)");
            say("  metrics:    " + demo.baseUri() + "/metrics");
            say("  webhooks:   " + demo.baseUri() + demo.runtime().admin().summary(DemoScenario.INTEGRATION).webhookPath());
            Thread hook = new Thread(demo::close, "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            while (!demo.runtime().awaitStopped(Duration.ofHours(1))) {
                // serve until stopped
            }
            return ok ? ExitCodes.OK : ExitCodes.SYNC_FAILED;
        }
    }

    private void report(DemoPhase phase) {
        if (json) {
            ctx.out().println(SyncJson.write(phase));
        } else {
            ctx.out().println(phase.story() + String.format(Locale.ROOT, " [%,d ms, %,d requests]", phase.durationMs(), phase.requests()));
        }
        ctx.out().flush();
    }

    private void say(String line) {
        if (!json) {
            ctx.out().println(line);
            ctx.out().flush();
        }
    }
}
