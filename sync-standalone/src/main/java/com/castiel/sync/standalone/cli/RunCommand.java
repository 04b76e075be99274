package com.castiel.sync.standalone.cli;

import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.runtime.RuntimeOptions;
import com.castiel.sync.standalone.runtime.StandaloneRuntime;
import com.castiel.sync.standalone.server.AdminToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code run --config FILE [--data-dir DIR]}: the scheduler, the workers and the webhook and admin
 * server, until the process is stopped (SIGTERM or Ctrl-C stop it gracefully).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the scheduler, workers, webhook receiver and admin server until stopped (SIGTERM/Ctrl-C stop gracefully).")
final class RunCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    DataDirOptions data = new DataDirOptions();

    RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        StandaloneConfig config = data.load(ctx, true);
        Path dataDir = data.dataDirectory(config);
        DataStorage storage = DataStorage.open(dataDir, ctx.clock());
        AdminToken token;
        try {
            token = AdminToken.loadOrCreate(dataDir);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        RuntimeOptions options = RuntimeOptions.defaults().withClock(ctx.clock()).withRegistry(ctx.adapters().get());
        StandaloneRuntime runtime = StandaloneRuntime.start(config, storage, token, options);
        Thread hook = new Thread(runtime::stop, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ctx.out().println("Castiel Sync Engine is running with " + runtime.integrations().size() + " integration(s).");
        ctx.out().println("Listening on " + runtime.baseUri() + " (dashboard /, admin API /api, metrics /metrics, health /health)");
        ctx.out().println("Admin token: " + dataDir.toAbsolutePath().resolve(AdminToken.FILE_NAME) + ". Stop with Ctrl-C or SIGTERM.");
        ctx.out().flush();
        while (!runtime.awaitStopped(Duration.ofHours(1))) {
            // keeps the main thread parked until a stop
        }
        return ExitCodes.OK;
    }
}
