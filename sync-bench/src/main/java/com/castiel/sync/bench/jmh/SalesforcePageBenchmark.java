package com.castiel.sync.bench.jmh;

import com.castiel.sync.bench.engine.AccountIntegration;
import com.castiel.sync.bench.process.OrgCoordinates;
import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.HttpTransport;
import com.castiel.sync.http.JdkHttpTransport;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.testkit.fake.salesforce.FakeSalesforce;
import com.castiel.sync.testkit.memory.InMemoryCredentialStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Salesforce adapter turning one 2,000-record query page into {@code ExternalRecord}s:
 * {@code adapter.fetch} through the engine's HTTP chain (authentication, rate limiting, retry)
 * with the page's bytes replayed from memory, so the figure is the adapter and Jackson, not the
 * network. The page is a real answer of the fake org, captured once at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SalesforcePageBenchmark {

    private FakeSalesforce org;
    private SyncEngine engine;
    private ProviderAdapter adapter;
    private FetchRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        Clock clock = Clock.systemUTC();
        org = new FakeSalesforce(clock).start();
        org.seedAccountsAndContacts(2000, 7);
        OrgCoordinates at = new OrgCoordinates(org.loginUrl(), org.instanceUrl(), org.orgId(), org.issueRefreshToken(),
                FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET);
        InMemoryIntegrationStore integrations = new InMemoryIntegrationStore(clock);
        InMemoryCredentialStore credentials = new InMemoryCredentialStore();
        engine = SyncEngine.builder().shards(new InMemoryShardStore()).integrations(integrations).runs(new InMemoryRunStore())
                .credentials(credentials).queue(new InMemoryJobQueue(clock)).events(e -> { }).clock(clock)
                .transport(new PageReplay(JdkHttpTransport.create(Duration.ofSeconds(10), Duration.ofSeconds(60))))
                .build();
        IntegrationId id = IntegrationId.of("jmh-page");
        Integration base = AccountIntegration.of(id, at, false, ConflictResolution.EXTERNAL_WINS, List.of(), null, clock.instant());
        // the benchmark calls far faster than Salesforce's 25/s: lift the client-side limits
        Integration integration = new Integration(base.id(), base.tenantId(), base.name(),
                base.structuredData().withRateLimits(new RateLimitSettings(1_000_000, null, 1_000_000_000L)), 0, base.createdAt(), base.updatedAt());
        integrations.create(integration);
        credentials.put(integration.tenantId(), id, AccountIntegration.credentials(at));
        adapter = engine.adapters().open(integration);
        request = new FetchRequest("Account", AccountIntegration.MAPPING.inboundExternalFields(), List.of(), null, null, null, 2000);
        Page first = adapter.fetch(request);
        if (first.records().size() != 2000) {
            throw new IllegalStateException("expected a page of 2,000 Accounts, got " + first.records().size());
        }
    }

    @Benchmark
    public Page parsePageOf2000() {
        return adapter.fetch(request);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        adapter.close();
        engine.close();
        org.close();
    }

    /** Forwards every exchange, except that the first query answer is kept and replayed for every later query. */
    private static final class PageReplay implements HttpTransport {
        private final HttpTransport live;
        private final AtomicReference<HttpReply> page = new AtomicReference<>();

        PageReplay(HttpTransport live) {
            this.live = live;
        }

        @Override
        public HttpReply exchange(HttpCall call) {
            if ("GET".equals(call.method()) && call.uri().getRawPath().endsWith("/query")) {
                HttpReply kept = page.get();
                if (kept != null) {
                    return kept;
                }
                HttpReply reply = live.exchange(call);
                if (reply.status() == 200) {
                    page.set(reply);
                }
                return reply;
            }
            return live.exchange(call);
        }
    }
}
