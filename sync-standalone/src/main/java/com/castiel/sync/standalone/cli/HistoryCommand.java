package com.castiel.sync.standalone.cli;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.standalone.config.StandaloneConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code history --integration ID [--limit N]}: an integration's newest sync runs. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show an integration's newest sync runs.")
final class HistoryCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    DataDirOptions data = new DataDirOptions();

    @Option(names = "--integration", required = true, paramLabel = "ID", description = "Integration id.")
    String integrationId;

    @Option(names = "--limit", defaultValue = "20", description = "Runs to show (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    HistoryCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            List<SyncRun> runs = session.admin().history(integrationId, limit);
            if (json) {
                ctx.out().println(SyncJson.write(runs));
            } else {
                TextTable t = new TextTable("STARTED", "TYPE", "STATUS", "CREATED", "UPDATED", "UNCHANGED", "DELETED", "FAILED", "MS", "ERROR");
                for (SyncRun r : runs) {
                    t.row(r.startedAt(), r.jobType().wire(), r.status().wire() + (r.resumed() ? " (resumed)" : ""), r.stats().created(),
                            r.stats().updated(), r.stats().unchanged(), r.stats().deleted(), r.stats().failed(),
                            r.finishedAt() == null ? null : r.duration().toMillis(), r.error());
                }
                if (t.isEmpty()) {
                    ctx.out().println("No runs of " + integrationId + " yet.");
                } else {
                    t.print(ctx.out());
                }
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }
}
