package com.castiel.sync.standalone.cli;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.standalone.admin.RecentEvents;
import com.castiel.sync.standalone.config.ConfigException;
import com.castiel.sync.standalone.config.ConfigProblem;
import com.castiel.sync.standalone.config.IntegrationConfig;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.runtime.DryRun;
import com.castiel.sync.standalone.runtime.IntegrationProvisioning;
import com.castiel.sync.standalone.runtime.OneShotSync;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sync --config FILE --integration ID [--full] [--dry-run] [--json]}: one sync now, in this
 * process, with a progress line on a terminal. {@code --dry-run} reads everything and writes
 * nothing: it reports what a real run would create, update and delete. Exit 1 when the sync fails
 * or records fail.
 */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Run one sync of an integration now.")
final class SyncCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    DataDirOptions data = new DataDirOptions();

    @Option(names = "--integration", required = true, paramLabel = "ID", description = "Integration id from the configuration.")
    String integrationId;

    @Option(names = "--full", description = "Full sync (read everything, sweep deletions) instead of what the schedule would pick.")
    boolean full;

    @Option(names = "--dry-run", description = "Report what would change without writing anything.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    SyncCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        StandaloneConfig config = data.load(ctx, true);
        int index = indexOf(config, integrationId);
        IntegrationConfig ic = config.integrations().get(index);
        try (DataStorage storage = DataStorage.open(data.dataDirectory(config), ctx.clock())) {
            Integration integration;
            SyncEngine engine;
            if (dryRun) {
                integration = configured(storage.integrations(), ic);
                CredentialStore credentials = DryRun.credentials(storage.credentials());
                if (ic.credentials() != null && !IntegrationProvisioning.alreadyApplied(storage.credentials(), ic)) {
                    credentials.put(ic.tenant(), ic.integrationId(), ic.credentials());
                }
                engine = engine(DryRun.shards(storage.shards()), DryRun.integrations(storage.integrations(), integration),
                        DryRun.runs(storage.runs()), credentials, storage);
            } else {
                integration = new IntegrationProvisioning(storage.integrations(), storage.credentials(), ctx.clock()).apply(ic);
                engine = engine(storage.shards(), storage.integrations(), storage.runs(), storage.credentials(), storage);
            }
            try (engine) {
                checkSettings(engine, integration, config, index);
                ProgressLine progress = new ProgressLine(ctx.err(), ctx.terminal() && !json);
                OneShotSync.Result result = new OneShotSync(engine, ctx.clock()).run(integration, full ? JobType.FULL_SYNC : null, progress);
                progress.finish();
                print(result, integration);
                return result.succeeded() ? ExitCodes.OK : ExitCodes.SYNC_FAILED;
            }
        }
    }

    private SyncEngine engine(com.castiel.sync.port.ShardStore shards, IntegrationStore integrations, com.castiel.sync.port.RunStore runs,
                              CredentialStore credentials, DataStorage storage) {
        return SyncEngine.builder().shards(shards).integrations(integrations).runs(runs).credentials(credentials)
                .queue(storage.queue()).events(new RecentEvents(16)).clock(ctx.clock()).registry(ctx.adapters().get())
                .build();
    }

    /** The integration as the file configures it, over its stored state, without writing it. */
    private Integration configured(IntegrationStore store, IntegrationConfig ic) {
        Integration stored = store.get(ic.tenant(), ic.integrationId()).orElse(null);
        IntegrationData base = stored == null ? null : stored.structuredData();
        String key = ic.webhookEndpointKey() != null ? ic.webhookEndpointKey()
                : base != null && base.webhookEndpointKey() != null ? base.webhookEndpointKey() : Ids.secureToken(24);
        IntegrationData data = ic.applyTo(base, key);
        return stored != null
                ? new Integration(stored.id(), stored.tenantId(), ic.name(), data, stored.version(), stored.createdAt(), stored.updatedAt())
                : new Integration(ic.integrationId(), ic.tenant(), ic.name(), data, 1, ctx.clock().instant(), ctx.clock().instant());
    }

    private static void checkSettings(SyncEngine engine, Integration integration, StandaloneConfig config, int index) {
        try (ProviderAdapter ignored = engine.adapters().open(integration)) {
            // settings accepted
        } catch (SyncException.Configuration e) {
            throw new ConfigException(new ConfigProblem(config.source(), "integrations[" + index + "].settings", e.getMessage()));
        }
    }

    private static int indexOf(StandaloneConfig config, String id) {
        for (int i = 0; i < config.integrations().size(); i++) {
            if (config.integrations().get(i).id().equals(id)) {
                return i;
            }
        }
        throw new UsageException("no integration '" + id + "' in " + config.source() + "; configured: "
                + config.integrations().stream().map(IntegrationConfig::id).toList());
    }

    private void print(OneShotSync.Result r, Integration integration) {
        SyncStats s = r.stats();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("integration", integration.id().value());
            out.put("jobType", r.jobType().wire());
            out.put("dryRun", dryRun);
            out.put("status", r.status().wire());
            out.put("created", s.created());
            out.put("updated", s.updated());
            out.put("unchanged", s.unchanged());
            out.put("deleted", s.deleted());
            out.put("skipped", s.skipped());
            out.put("failed", s.failed());
            out.put("pages", r.pages());
            out.put("records", r.records());
            out.put("durationMs", r.elapsed().toMillis());
            if (r.error() != null) {
                out.put("error", r.error());
            }
            ctx.out().println(SyncJson.write(out));
        } else {
            String kind = r.jobType().wire().replace('_', ' ');
            if (dryRun) {
                ctx.out().println(String.format(Locale.ROOT, "Dry run (%s) of %s: would create %,d, update %,d and delete %,d; %,d unchanged, "
                                + "%,d skipped, %,d failing. Nothing was written.", kind, integration.id(), s.created(), s.updated(), s.deleted(),
                        s.unchanged(), s.skipped(), s.failed()));
            } else {
                ctx.out().println(String.format(Locale.ROOT, "Sync (%s) of %s %s: %,d created, %,d updated, %,d unchanged, %,d deleted, "
                                + "%,d skipped, %,d failed.", kind, integration.id(), r.status().wire(), s.created(), s.updated(), s.unchanged(),
                        s.deleted(), s.skipped(), s.failed()));
            }
            ctx.out().println(String.format(Locale.ROOT, "Read %,d records in %,d pages in %.1f s (%,.0f records/s).",
                    r.records(), r.pages(), r.elapsed().toMillis() / 1000.0, r.recordsPerSecond()));
            if (r.error() != null) {
                ctx.out().println("Failed: " + r.error());
            }
        }
        ctx.out().flush();
    }
}
