package com.castiel.sync.standalone.cli;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.standalone.admin.Administration;
import com.castiel.sync.standalone.admin.IntegrationSummary;
import com.castiel.sync.standalone.config.StandaloneConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code integrations list|show}: the integrations of a data directory. */
@Command(name = "integrations", mixinStandardHelpOptions = true, description = "List or show the integrations of a data directory.")
final class IntegrationsCommand {

    private final CliContext ctx;

    IntegrationsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List integrations with their last sync.")
    int list(@Mixin DataDirOptions data, @Option(names = "--json", description = "Print JSON.") boolean json) {
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            List<IntegrationSummary> all = session.admin().integrations();
            if (json) {
                ctx.out().println(SyncJson.write(all));
            } else {
                TextTable t = new TextTable("ID", "TENANT", "PROVIDER", "STATUS", "LAST SYNC", "NEXT SYNC", "LAST RUN");
                for (IntegrationSummary s : all) {
                    String run = s.lastRun() == null ? null : s.lastRun().jobType().wire() + " " + s.lastRun().status().wire()
                            + " (" + s.lastRun().stats().total() + " records)";
                    t.row(s.id(), s.tenantId(), s.provider(), s.status(), s.lastSyncAt(), s.nextSyncAt() == null ? "manual" : s.nextSyncAt(), run);
                }
                if (t.isEmpty()) {
                    ctx.out().println("No integrations in " + data.dataDirectory(config) + ".");
                } else {
                    t.print(ctx.out());
                }
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one integration: settings, mappings, schedule, webhook path, credentials (without values).")
    int show(@Mixin DataDirOptions data, @Parameters(paramLabel = "ID", description = "Integration id.") String id,
             @Option(names = "--json", description = "Print JSON.") boolean json) {
        StandaloneConfig config = data.load(ctx, false);
        try (AdminSession session = AdminSession.open(ctx, data.dataDirectory(config))) {
            Administration admin = session.admin();
            Integration integration = admin.integration(id);
            IntegrationSummary summary = admin.summary(id);
            Administration.CredentialStatus credentials = admin.credentialStatus(id);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("summary", summary);
            out.put("integration", integration);
            out.put("credentials", credentials);
            if (json) {
                ctx.out().println(SyncJson.write(out));
            } else {
                ctx.out().println("Integration " + summary.id() + (summary.name() == null ? "" : " (" + summary.name() + ")"));
                ctx.out().println("  tenant:       " + summary.tenantId());
                ctx.out().println("  provider:     " + summary.provider());
                ctx.out().println("  status:       " + summary.status());
                ctx.out().println("  schedule:     " + SyncJson.write(summary.syncFrequency()));
                ctx.out().println("  last sync:    " + (summary.lastSyncAt() == null ? "never" : summary.lastSyncAt()));
                ctx.out().println("  next sync:    " + (summary.nextSyncAt() == null ? "manual" : summary.nextSyncAt()));
                ctx.out().println("  webhook path: " + (summary.webhookPath() == null ? "-" : summary.webhookPath()));
                ctx.out().println("  write-back:   " + (summary.writeBack() ? "enabled" : "disabled"));
                ctx.out().println("  credentials:  " + (credentials.stored() ? "stored" + (credentials.hasRefreshToken() ? ", refresh token" : "")
                        + (credentials.hasAccessToken() ? ", access token" + (credentials.expiresAt() == null ? "" : " until " + credentials.expiresAt()) : "")
                        + (credentials.propertyNames().isEmpty() ? "" : ", " + String.join(", ", credentials.propertyNames())) : "none"));
                ctx.out().println("  settings:     " + SyncJson.write(integration.structuredData().settings()));
                integration.structuredData().entityMappings().forEach(m -> ctx.out().println("  mapping:      " + m.externalEntity()
                        + " -> " + m.shardTypeId() + " (" + m.fieldMappings().size() + " fields)"));
                if (summary.lastRun() != null) {
                    ctx.out().println("  last run:     " + SyncJson.write(summary.lastRun().stats()) + " " + summary.lastRun().status().wire());
                }
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }
}
