package com.castiel.sync.standalone.cli;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.retry.DeadLetterEntry;
import com.castiel.sync.standalone.admin.Administration;
import com.castiel.sync.standalone.admin.UnknownResourceException;
import com.castiel.sync.standalone.config.StandaloneConfig;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlq list|replay|purge}: review the dead letters of a data directory. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "List, replay or purge dead letters.")
final class DlqCommand {

    private final CliContext ctx;

    DlqCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the oldest dead letters.")
    int list(@Mixin DataDirOptions data,
             @Option(names = "--queue", paramLabel = "QUEUE", description = "One queue (default: all three).") String queue,
             @Option(names = "--limit", defaultValue = "50", description = "Per queue (default ${DEFAULT-VALUE}).") int limit,
             @Option(names = "--json", description = "Print JSON.") boolean json) {
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            List<DeadLetterEntry> entries = session.admin().deadLetters(queue, limit);
            if (json) {
                ctx.out().println(SyncJson.write(entries));
            } else if (entries.isEmpty()) {
                ctx.out().println("No dead letters.");
            } else {
                TextTable t = new TextTable("QUEUE", "SEQ", "INTEGRATION", "JOB", "ATTEMPTS", "REASON", "WHEN", "ERROR");
                for (DeadLetterEntry e : entries) {
                    t.row(e.queue(), e.sequenceNumber(), e.integrationId(), e.jobType() != null ? e.jobType().wire()
                                    : e.operation() != null ? e.operation().wire() : null,
                            e.attempts(), e.reason(), e.deadLetteredAt(), e.error() != null ? e.error() : e.decodeError());
                }
                t.print(ctx.out());
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Move dead letters back to their queue as a first attempt.")
    int replay(@Mixin DataDirOptions data,
               @Option(names = "--queue", required = true, paramLabel = "QUEUE") String queue,
               @Option(names = "--all", description = "Replay the oldest --limit dead letters of the queue.") boolean all,
               @Option(names = "--limit", defaultValue = "50") int limit,
               @Parameters(arity = "0..1", paramLabel = "SEQ", description = "Sequence number from 'dlq list'.") Long sequence) {
        requireOne(all, sequence);
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            Administration admin = session.admin();
            int n;
            if (all) {
                n = admin.replayAll(queue, limit);
            } else {
                if (!admin.replay(queue, sequence)) {
                    throw new UnknownResourceException("no dead letter " + sequence + " in " + queue);
                }
                n = 1;
            }
            ctx.out().println("Replayed " + n + " dead letter(s) to " + queue + ".");
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete dead letters.")
    int purge(@Mixin DataDirOptions data,
              @Option(names = "--queue", required = true, paramLabel = "QUEUE") String queue,
              @Option(names = "--all", description = "Delete every dead letter of the queue.") boolean all,
              @Parameters(arity = "0..1", paramLabel = "SEQ", description = "Sequence number from 'dlq list'.") Long sequence) {
        requireOne(all, sequence);
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            Administration admin = session.admin();
            int n;
            if (all) {
                n = admin.purgeAll(queue);
            } else {
                if (!admin.purge(queue, sequence)) {
                    throw new UnknownResourceException("no dead letter " + sequence + " in " + queue);
                }
                n = 1;
            }
            ctx.out().println("Purged " + n + " dead letter(s) from " + queue + ".");
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    private static void requireOne(boolean all, Long sequence) {
        if (all == (sequence != null)) {
            throw new UsageException("give a sequence number or --all");
        }
    }
}
