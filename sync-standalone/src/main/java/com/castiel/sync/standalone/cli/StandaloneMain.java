package com.castiel.sync.standalone.cli;

import com.castiel.sync.spi.SyncException;
import com.castiel.sync.standalone.admin.UnknownResourceException;
import com.castiel.sync.standalone.config.ConfigException;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar sync-standalone.jar <command>}: the standalone runtime's command line.
 *
 * <p>Exit statuses ({@link ExitCodes}): 0 ok; 1 a sync failed (or the demo's final check);
 * 2 bad usage or configuration, with a message naming the option, or the file and key.
 */
@Command(name = "sync-standalone", mixinStandardHelpOptions = true, versionProvider = StandaloneMain.Version.class,
        description = "Castiel Sync Engine, standalone: embedded storage, webhook and admin server, scheduler and workers.",
        subcommands = CommandLine.HelpCommand.class)
public final class StandaloneMain implements Callable<Integer> {

    private final CliContext ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    StandaloneMain(CliContext ctx) {
        this.ctx = ctx;
    }

    public static void main(String[] args) {
        quietLoggingUnlessServing(args);
        int status = execute(CliContext.system(), args);
        System.exit(status);
    }

    /**
     * Commands other than {@code run} print results (tables, JSON, the demo's story): their log
     * level defaults to WARN so the output stays readable. {@code SYNC_LOG_LEVEL} (environment or
     * system property) overrides it; logback reads it when the first logger is made, which is why
     * this runs before anything logs.
     */
    private static void quietLoggingUnlessServing(String[] args) {
        boolean serving = args.length > 0 && args[0].equals("run");
        if (!serving && System.getenv("SYNC_LOG_LEVEL") == null && System.getProperty("SYNC_LOG_LEVEL") == null) {
            System.setProperty("SYNC_LOG_LEVEL", "WARN");
        }
    }

    /** Runs a command line and returns its exit status; never calls {@link System#exit}. */
    public static int execute(CliContext ctx, String... args) {
        CommandLine cli = commandLine(ctx);
        return cli.execute(args);
    }

    static CommandLine commandLine(CliContext ctx) {
        CommandLine cli = new CommandLine(new StandaloneMain(ctx))
                .addSubcommand("run", new RunCommand(ctx))
                .addSubcommand("demo", new DemoCommand(ctx))
                .addSubcommand("sync", new SyncCommand(ctx))
                .addSubcommand("integrations", new IntegrationsCommand(ctx))
                .addSubcommand("shards", new ShardsCommand(ctx))
                .addSubcommand("history", new HistoryCommand(ctx))
                .addSubcommand("dlq", new DlqCommand(ctx))
                .addSubcommand("adapters", new AdaptersCommand(ctx));
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            int status = statusOf(e);
            line.getErr().println("error: " + message(e));
            line.getErr().flush();
            return status;
        });
        return cli;
    }

    static int statusOf(Throwable e) {
        if (e instanceof ConfigException || e instanceof UsageException || e instanceof UnknownResourceException
                || e instanceof StorageException || e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof SyncException.Configuration) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.SYNC_FAILED;
    }

    private static String message(Throwable e) {
        if (e instanceof ConfigException) {
            return "the configuration cannot be used:" + System.lineSeparator() + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public Integer call() {
        ctx.err().println("error: name a command");
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StandaloneMain.class.getPackage().getImplementationVersion();
            return new String[] {"Castiel Sync Engine standalone " + (v == null ? "(development build)" : v)};
        }
    }
}
