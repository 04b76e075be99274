package com.castiel.sync.standalone.demo;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.FieldDirection;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunStatus;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.standalone.config.IntegrationConfig;
import com.castiel.sync.standalone.config.Limits;
import com.castiel.sync.standalone.config.ServerSettings;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.standalone.config.WorkerSettings;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.runtime.OneShotSync;
import com.castiel.sync.standalone.runtime.RuntimeOptions;
import com.castiel.sync.standalone.runtime.StandaloneRuntime;
import com.castiel.sync.standalone.server.AdminToken;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.fake.salesforce.FakeSalesforce;
import com.castiel.sync.testkit.fake.salesforce.OutboundResult;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The demo, end to end and for real: a fake Salesforce org (the test kit's, over HTTP) seeded with
 * Accounts, the Salesforce adapter, the embedded storage and the standalone runtime with its
 * server and workers. Four phases, each measured:
 *
 * <ol>
 *   <li><b>full sync</b>: every Account becomes a {@code company} shard;</li>
 *   <li><b>webhook</b>: an Account is renamed in Salesforce, which sends an Outbound Message to
 *       the runtime's webhook URL; the worker applies it;</li>
 *   <li><b>write-back</b>: a shard's phone number is edited in Castiel; the outbound worker writes
 *       it to Salesforce;</li>
 *   <li><b>incremental sync</b>: reads the changes since the full sync, including the record just
 *       written back, which comes back unchanged (echo suppressed) instead of bouncing.</li>
 * </ol>
 *
 * <p>{@link #verify()} then compares the embedded store with the fake record for record. Not
 * thread-safe; run the phases in order from one thread.
 */
public final class DemoScenario implements AutoCloseable {

    public static final String INTEGRATION = "demo-salesforce";
    public static final String TENANT = "demo-tenant";
    public static final String ENTITY = "Account";
    public static final String SHARD_TYPE = "company";
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> MESSAGE_FIELDS = List.of("Name", "AccountNumber", "Industry", "AnnualRevenue", "NumberOfEmployees",
            "Website", "Phone", "BillingCity", "SystemModstamp");

    private final DemoOptions options;
    private final Clock clock = Clock.systemUTC();
    private final FakeSalesforce salesforce;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final EntityMapping mapping = EntityMapping.of(ENTITY, SHARD_TYPE, List.of(
            FieldMapping.of("Name", "name"),
            FieldMapping.of("AccountNumber", "accountNumber").withDirection(FieldDirection.IN),
            FieldMapping.of("Industry", "industry"),
            FieldMapping.of("AnnualRevenue", "annualRevenue", FieldType.NUMBER),
            FieldMapping.of("NumberOfEmployees", "employees", FieldType.INTEGER),
            FieldMapping.of("Website", "website"),
            FieldMapping.of("Phone", "phone"),
            FieldMapping.of("BillingCity", "address.city")));
    private StandaloneRuntime runtime;
    private Integration integration;
    private String writtenBackId;
    private Shard writtenBackShard;

    public DemoScenario(DemoOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.salesforce = new FakeSalesforce(clock);
        try {
            this.temporaryDataDir = options.dataDir() == null;
            this.dataDir = temporaryDataDir ? Files.createTempDirectory("castiel-sync-demo") : options.dataDir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    /** Starts the fake org (seeded, with faults if asked) and the runtime configured for it. */
    public void start() {
        salesforce.start();
        salesforce.seedAccountsAndContacts(options.records(), options.seed());
        if (options.faultRate() > 0) {
            RequestMatcher api = RequestMatcher.pathStartsWith("/services/data/");
            double each = options.faultRate() / 4;
            salesforce.faults()
                    .randomly(each, options.seed() + 1, api, Fault.rateLimited(1))
                    .randomly(each, options.seed() + 2, api, Fault.serviceUnavailable())
                    .randomly(each, options.seed() + 3, api, Fault.connectionReset())
                    .randomly(each, options.seed() + 4, api, Fault.expiredToken());
        }
        Credentials credentials = new Credentials(null, salesforce.issueRefreshToken(), null, null, null,
                Map.of("client_id", FakeSalesforce.CLIENT_ID, "client_secret", FakeSalesforce.CLIENT_SECRET));
        IntegrationConfig ic = new IntegrationConfig(INTEGRATION, TENANT, "Demo Salesforce org", "salesforce", null,
                Map.of("loginUrl", salesforce.loginUrl().toString(), "instanceUrl", salesforce.instanceUrl().toString(),
                        "orgId", salesforce.orgId()),
                credentials, List.of(mapping), List.of(), SyncFrequency.manual(), new WriteBackSettings(true, null),
                ConflictResolution.NEWEST_WINS, null, null, null);
        StandaloneConfig config = new StandaloneConfig("demo", dataDir, new ServerSettings("127.0.0.1", options.port(), null),
                new Limits(0L, 3), new WorkerSettings(10, 5, 10, 4), List.of(ic));
        DataStorage storage = DataStorage.open(dataDir, clock);
        runtime = StandaloneRuntime.start(config, storage, AdminToken.loadOrCreate(dataDir),
                RuntimeOptions.defaults().withClock(clock).withPollWait(Duration.ofMillis(100)));
        integration = runtime.integrations().get(0);
    }

    public URI baseUri() {
        return runtime.baseUri();
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean temporaryDataDir() {
        return temporaryDataDir;
    }

    public StandaloneRuntime runtime() {
        return runtime;
    }

    public FakeSalesforce salesforce() {
        return salesforce;
    }

    /** Phase 1: a full sync of every Account. */
    public DemoPhase fullSync() {
        long requests = salesforce.journal().totalCount();
        OneShotSync.Result r = new OneShotSync(runtime.engine(), clock).run(current(), JobType.FULL_SYNC, OneShotSync.ProgressListener.NONE);
        if (r.status() == RunStatus.FAILED) {
            throw new IllegalStateException("the full sync failed: " + r.error());
        }
        SyncStats s = r.stats();
        return new DemoPhase("full_sync", s.created(), s.updated(), s.unchanged(), s.deleted(), s.failed(),
                salesforce.journal().totalCount() - requests, r.elapsed().toMillis(), String.format(Locale.ROOT,
                "Full sync: read %,d Accounts from Salesforce in %,d pages and created %,d company shards (%,.0f records/s).",
                r.records(), r.pages(), s.created(), r.recordsPerSecond()));
    }

    /** Phase 2: a record changes in Salesforce and its Outbound Message arrives at the webhook URL. */
    public DemoPhase webhook() {
        Instant started = clock.instant();
        long requests = salesforce.journal().totalCount();
        String id = salesforce.ids(ENTITY).get(0);
        String newName = salesforce.record(ENTITY, id).orElseThrow().path("Name").asText() + " (renamed in Salesforce)";
        salesforce.update(ENTITY, id, SyncJson.object().put("Name", newName));
        URI target = runtime.baseUri().resolve(runtime.admin().summary(INTEGRATION).webhookPath());
        OutboundResult sent = salesforce.sendOutboundMessage(target, ENTITY, List.of(id), MESSAGE_FIELDS);
        if (sent.acknowledged() != 1) {
            throw new IllegalStateException("the webhook was not acknowledged: HTTP " + sent.statuses());
        }
        await("the webhook's change to reach the shard", () -> shard(id).map(s -> newName.equals(s.structuredData().path("name").asText()))
                .orElse(false));
        SyncRun run = newestRun(JobType.WEBHOOK);
        SyncStats s = run.stats();
        return new DemoPhase("webhook", s.created(), s.updated(), s.unchanged(), s.deleted(), s.failed(),
                salesforce.journal().totalCount() - requests, Duration.between(started, clock.instant()).toMillis(),
                "Webhook: Account " + id + " was renamed to \"" + newName + "\" in Salesforce; its Outbound Message was verified, "
                        + "queued durably, acknowledged, and applied to the shard by a worker.");
    }

    /** Phase 3: a shard edit in Castiel is written back to Salesforce. */
    public DemoPhase writeBack() {
        Instant started = clock.instant();
        long requests = salesforce.journal().totalCount();
        String id = salesforce.ids(ENTITY).get(1);
        Shard shard = shard(id).orElseThrow(() -> new IllegalStateException("no shard for Account " + id));
        String newPhone = "+1 415 555 " + String.format(Locale.ROOT, "%04d", Math.floorMod(options.seed(), 10_000));
        String phone = shard.structuredData().path("phone").asText().equals(newPhone) ? "+1 415 555 0000" : newPhone;
        runtime.engine().shardEdits().update(shard.tenantId(), shard.id(), shard.etag(), data -> data.put("phone", phone), "demo-user");
        await("the write-back to reach Salesforce", () -> salesforce.record(ENTITY, id)
                .map(r -> phone.equals(r.path("Phone").asText())).orElse(false));
        await("the write-back to be settled", () -> shard(id).flatMap(s -> s.relationshipFor(IntegrationId.of(INTEGRATION)))
                .map(rel -> rel.syncStatus() == com.castiel.sync.model.SyncStatus.SYNCED && rel.lastSyncedValues() != null
                        && phone.equals(rel.lastSyncedValues().path("phone").asText())).orElse(false));
        writtenBackId = id;
        writtenBackShard = shard(id).orElseThrow();
        return new DemoPhase("write_back", 0, 1, 0, 0, 0, salesforce.journal().totalCount() - requests,
                Duration.between(started, clock.instant()).toMillis(),
                "Write-back: the phone of shard " + shard.id() + " was edited in Castiel to " + phone
                        + "; the outbound worker wrote it to Account " + id + " in Salesforce.");
    }

    /** Phase 4: an incremental sync; the record written back comes back unchanged. */
    public DemoPhase incrementalSync() {
        long requests = salesforce.journal().totalCount();
        OneShotSync.Result r = new OneShotSync(runtime.engine(), clock).run(current(), JobType.INCREMENTAL, OneShotSync.ProgressListener.NONE);
        if (r.status() == RunStatus.FAILED) {
            throw new IllegalStateException("the incremental sync failed: " + r.error());
        }
        SyncStats s = r.stats();
        boolean echoSuppressed = writtenBackShard == null
                || shard(writtenBackId).map(after -> Objects.equals(after.etag(), writtenBackShard.etag())).orElse(false);
        String story = String.format(Locale.ROOT, "Incremental sync: read %,d recently changed Accounts: %,d created, %,d updated, %,d unchanged. ",
                r.records(), s.created(), s.updated(), s.unchanged())
                + (echoSuppressed ? "The Account written back came back unchanged: the echo was suppressed, nothing bounced."
                : "The Account written back was rewritten by the sync: the echo was NOT suppressed.");
        return new DemoPhase("incremental_sync", s.created(), s.updated(), s.unchanged(), s.deleted(), s.failed(),
                salesforce.journal().totalCount() - requests, r.elapsed().toMillis(), story);
    }

    /** Whether the written-back record came back unchanged in the incremental sync. */
    public boolean echoSuppressed() {
        return writtenBackShard != null && shard(writtenBackId).map(a -> Objects.equals(a.etag(), writtenBackShard.etag())).orElse(false);
    }

    /**
     * Compares the store with the fake record for record: every live Account has exactly one live
     * shard whose mapped fields hash like the Account's, and no live shard links to an Account
     * that does not exist.
     */
    public DemoPhase verify() {
        Instant started = clock.instant();
        RecordMapper mapper = new RecordMapper(mapping);
        TenantId tenant = TenantId.of(TENANT);
        IntegrationId id = IntegrationId.of(INTEGRATION);
        List<String> ids = salesforce.ids(ENTITY);
        Set<String> expected = new HashSet<>(ids);
        long agree = 0;
        long disagree = 0;
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            Map<String, Shard> shards = runtime.storage().shards().findByExternalIds(tenant, id, ENTITY, chunk);
            for (String externalId : chunk) {
                Shard s = shards.get(externalId);
                ObjectNode record = salesforce.record(ENTITY, externalId).orElse(null);
                if (s == null || s.isDeleted() || record == null) {
                    disagree++;
                    continue;
                }
                String want = mapper.toShard(ExternalRecord.of(ENTITY, externalId, record, null, null)).hash();
                String got = RecordMapper.hash(mapper.extract(s.structuredData()));
                if (want.equals(got)) {
                    agree++;
                } else {
                    disagree++;
                }
            }
        }
        long extra = 0;
        ShardId after = null;
        while (true) {
            List<Shard> page = runtime.storage().shards().listLinked(tenant, id, ENTITY, after, 500);
            for (Shard s : page) {
                String linked = s.relationshipFor(id).map(r -> r.externalId()).orElse(null);
                if (!s.isDeleted() && (linked == null || !expected.contains(linked))) {
                    extra++;
                }
            }
            if (page.size() < 500) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        long live = runtime.storage().shards().count(tenant, SHARD_TYPE);
        if (live != ids.size()) {
            extra = Math.max(extra, live - ids.size());
        }
        boolean ok = disagree == 0 && extra == 0;
        return new DemoPhase("verify", 0, 0, agree, extra, disagree, 0, Duration.between(started, clock.instant()).toMillis(),
                ok ? String.format(Locale.ROOT, "Verified: the embedded store and Salesforce agree record for record (%,d Accounts).", agree)
                        : String.format(Locale.ROOT, "MISMATCH: %,d Accounts agree, %,d disagree or are missing, %,d shards have no Account.",
                        agree, disagree, extra));
    }

    private Integration current() {
        return runtime.storage().integrations().get(integration.tenantId(), integration.id()).orElse(integration);
    }

    private Optional<Shard> shard(String externalId) {
        return Optional.ofNullable(runtime.storage().shards().findByExternalIds(TenantId.of(TENANT), IntegrationId.of(INTEGRATION), ENTITY,
                List.of(externalId)).get(externalId));
    }

    private SyncRun newestRun(JobType type) {
        return runtime.storage().runs().history(TenantId.of(TENANT), IntegrationId.of(INTEGRATION), 20).stream()
                .filter(r -> r.jobType() == type && r.status() != RunStatus.RUNNING).findFirst()
                .orElseThrow(() -> new IllegalStateException("no finished " + type.wire() + " run in the history"));
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + PHASE_TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** Stops the runtime and the fake, and deletes a temporary data directory. */
    @Override
    public void close() {
        try {
            if (runtime != null) {
                runtime.stop();
            }
        } finally {
            salesforce.close();
            if (temporaryDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory left behind is harmless
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
