package com.castiel.sync.standalone.cli;

import com.castiel.sync.model.Shard;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.standalone.admin.UnknownResourceException;
import com.castiel.sync.standalone.config.StandaloneConfig;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shards count|get}: shard lookups in a data directory. */
@Command(name = "shards", mixinStandardHelpOptions = true, description = "Count shards or look one up.")
final class ShardsCommand {

    private final CliContext ctx;

    ShardsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "Count a tenant's live shards, of one type or all.")
    int count(@Mixin DataDirOptions data,
              @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "Tenant id.") String tenant,
              @Option(names = "--type", paramLabel = "SHARD_TYPE", description = "Shard type id (default: all types).") String type,
              @Option(names = "--json", description = "Print JSON.") boolean json) {
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            long n = session.admin().shardCount(tenant, type);
            if (json) {
                ctx.out().println(SyncJson.write(Map.of("tenantId", tenant, "shardTypeId", type == null ? "*" : type, "count", n)));
            } else {
                ctx.out().println(n);
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print one shard as JSON: by --tenant and --id, or by --integration and --external-id [--entity].")
    int get(@Mixin DataDirOptions data,
            @Option(names = "--tenant", paramLabel = "TENANT") String tenant,
            @Option(names = "--id", paramLabel = "SHARD_ID") String shardId,
            @Option(names = "--integration", paramLabel = "ID") String integration,
            @Option(names = "--external-id", paramLabel = "EXTERNAL_ID") String externalId,
            @Option(names = "--entity", paramLabel = "ENTITY", description = "External entity (default: every mapped one).") String entity) {
        boolean byId = tenant != null && shardId != null;
        boolean byLink = integration != null && externalId != null;
        if (byId == byLink) {
            throw new UsageException("give either --tenant and --id, or --integration and --external-id");
        }
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            Optional<Shard> shard = byId ? session.admin().shard(tenant, shardId)
                    : session.admin().shardByExternalId(integration, entity, externalId);
            Shard found = shard.orElseThrow(() -> new UnknownResourceException(byId ? "no shard '" + shardId + "' in tenant '" + tenant + "'"
                    : "no shard of integration '" + integration + "' is linked to '" + externalId + "'"));
            ctx.out().println(SyncJson.write(found));
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }
}
