package com.castiel.sync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link IntegrationStore} must have: version 1 on create, compare-and-set
 * updates on the version, unique ids and webhook endpoint keys, endpoint-key resolution across
 * tenants, the scheduler's due query (active only, due at or before now, oldest first, limited),
 * paging across tenants, and tenant isolation of reads and writes.
 *
 * <p>Extend it, implement {@link #createStore(MutableClock)} to return an empty store, and
 * override {@link #cleanUp()} when it holds files.
 */
public abstract class IntegrationStoreContract {

    protected static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    protected static final TenantId TENANT = TenantId.of("tenant-a");
    protected static final TenantId OTHER_TENANT = TenantId.of("tenant-b");

    protected MutableClock clock;
    protected IntegrationStore store;

    /** An empty store. */
    protected abstract IntegrationStore createStore(MutableClock clock);

    /** Called after each test: close connections, delete files. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    public final void createStoreUnderTest() {
        clock = new MutableClock(START);
        store = createStore(clock);
    }

    @AfterEach
    public final void cleanUpStore() throws Exception {
        cleanUp();
    }

    // ---- create and get ----

    @Test
    public void createStoresVersionOne() {
        Integration created = store.create(integration(TENANT, "int-1", "key-1").withVersion(7, null));

        assertThat(created.version()).isEqualTo(1);
        assertThat(store.get(TENANT, created.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    public void getReturnsTheCreatedIntegration() {
        Integration original = integration(TENANT, "int-1", "key-1");
        store.create(original);

        Integration read = store.get(TENANT, original.id()).orElseThrow();

        assertThat(read.id()).isEqualTo(original.id());
        assertThat(read.tenantId()).isEqualTo(TENANT);
        assertThat(read.name()).isEqualTo(original.name());
        assertThat(read.structuredData()).isEqualTo(original.structuredData());
    }

    @Test
    public void getOfAnUnknownIntegrationIsEmpty() {
        assertThat(store.get(TENANT, IntegrationId.of("missing"))).isEmpty();
    }

    @Test
    public void getIsScopedByTenant() {
        store.create(integration(TENANT, "int-1", "key-1"));

        assertThat(store.get(OTHER_TENANT, IntegrationId.of("int-1"))).isEmpty();
    }

    @Test
    public void createWithAnExistingIdThrowsStoreConflict() {
        store.create(integration(TENANT, "int-1", "key-1"));

        assertThatThrownBy(() -> store.create(integration(TENANT, "int-1", "key-2")))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.findByEndpointKey("key-2")).isEmpty();
    }

    @Test
    public void createWithAnIdUsedInAnotherTenantThrowsStoreConflict() {
        store.create(integration(TENANT, "int-1", "key-1"));

        assertThatThrownBy(() -> store.create(integration(OTHER_TENANT, "int-1", "key-2")))
                .isInstanceOf(StoreConflictException.class);
    }

    @Test
    public void createWithAnEndpointKeyInUseThrowsStoreConflict() {
        store.create(integration(TENANT, "int-1", "key-1"));

        assertThatThrownBy(() -> store.create(integration(OTHER_TENANT, "int-2", "key-1")))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.get(OTHER_TENANT, IntegrationId.of("int-2"))).isEmpty();
    }

    // ---- compare-and-set updates ----

    @Test
    public void updateWithTheCurrentVersionStoresTheChangeAndIncrementsTheVersion() {
        Integration v1 = store.create(integration(TENANT, "int-1", "key-1"));

        Integration v2 = store.update(v1.withData(d -> d.withStatus(IntegrationStatus.PAUSED)));

        assertThat(v2.version()).isEqualTo(2);
        Integration read = store.get(TENANT, v1.id()).orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.status()).isEqualTo(IntegrationStatus.PAUSED);
    }

    @Test
    public void successiveUpdatesEachIncrementTheVersion() {
        Integration v1 = store.create(integration(TENANT, "int-1", "key-1"));

        Integration v2 = store.update(v1.withData(d -> d.withNextSyncAt(START.plusSeconds(60))));
        Integration v3 = store.update(v2.withData(d -> d.withNextSyncAt(START.plusSeconds(120))));

        assertThat(v3.version()).isEqualTo(3);
        assertThat(store.get(TENANT, v1.id()).orElseThrow().structuredData().nextSyncAt()).isEqualTo(START.plusSeconds(120));
    }

    @Test
    public void updateWithAStaleVersionThrowsStoreConflictAndChangesNothing() {
        Integration v1 = store.create(integration(TENANT, "int-1", "key-1"));
        store.update(v1.withData(d -> d.withLastSyncAt(START)));

        assertThatThrownBy(() -> store.update(v1.withData(d -> d.withStatus(IntegrationStatus.PAUSED))))
                .isInstanceOfSatisfying(StoreConflictException.class, e -> assertThat(e.ids()).contains("int-1"));
        Integration read = store.get(TENANT, v1.id()).orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(read.structuredData().lastSyncAt()).isEqualTo(START);
    }

    @Test
    public void updateOfAMissingIntegrationThrowsStoreConflict() {
        Integration never = integration(TENANT, "int-1", "key-1").withVersion(1, START);

        assertThatThrownBy(() -> store.update(never)).isInstanceOf(StoreConflictException.class);
        assertThat(store.get(TENANT, never.id())).isEmpty();
    }

    @Test
    public void updateAddressedToAnotherTenantThrowsStoreConflictAndChangesNothing() {
        Integration v1 = store.create(integration(TENANT, "int-1", "key-1"));
        Integration foreign = new Integration(v1.id(), OTHER_TENANT, v1.name(),
                v1.structuredData().withStatus(IntegrationStatus.PAUSED), v1.version(), v1.createdAt(), v1.updatedAt());

        assertThatThrownBy(() -> store.update(foreign)).isInstanceOf(StoreConflictException.class);
        Integration read = store.get(TENANT, v1.id()).orElseThrow();
        assertThat(read.status()).isEqualTo(IntegrationStatus.ACTIVE);
        assertThat(read.version()).isEqualTo(1);
    }

    @Test
    public void ofConcurrentUpdatesFromTheSameVersionExactlyOneWins() throws Exception {
        Integration v1 = store.create(integration(TENANT, "int-1", "key-1"));
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                Instant claim = START.plusSeconds(i + 1L);
                Callable<Boolean> attempt = () -> {
                    try {
                        store.update(v1.withData(d -> d.withNextSyncAt(claim)));
                        return true;
                    } catch (StoreConflictException lost) {
                        return false;
                    }
                };
                outcomes.add(pool.submit(attempt));
            }
            int winners = 0;
            for (Future<Boolean> outcome : outcomes) {
                winners += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(winners).isEqualTo(1);
            assertThat(store.get(TENANT, v1.id()).orElseThrow().version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- endpoint keys ----

    @Test
    public void findByEndpointKeyResolvesTheIntegrationWhateverItsTenant() {
        store.create(integration(TENANT, "int-1", "key-1"));
        store.create(integration(OTHER_TENANT, "int-2", "key-2"));

        assertThat(store.findByEndpointKey("key-2")).hasValueSatisfying(i -> {
            assertThat(i.id()).isEqualTo(IntegrationId.of("int-2"));
            assertThat(i.tenantId()).isEqualTo(OTHER_TENANT);
        });
    }

    @Test
    public void findByEndpointKeyOfAnUnknownKeyIsEmpty() {
        store.create(integration(TENANT, "int-1", "key-1"));

        assertThat(store.findByEndpointKey("key-unknown")).isEmpty();
    }

    @Test
    public void findByEndpointKeyFollowsAKeyChange() {
        Integration v1 = store.create(integration(TENANT, "int-1", "key-old"));

        store.update(v1.withData(d -> d.withWebhookEndpointKey("key-new")));

        assertThat(store.findByEndpointKey("key-old")).isEmpty();
        assertThat(store.findByEndpointKey("key-new")).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(v1.id()));
    }

    @Test
    public void updateToAnEndpointKeyInUseThrowsStoreConflict() {
        store.create(integration(TENANT, "int-1", "key-1"));
        Integration second = store.create(integration(TENANT, "int-2", "key-2"));

        assertThatThrownBy(() -> store.update(second.withData(d -> d.withWebhookEndpointKey("key-1"))))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.findByEndpointKey("key-1")).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(IntegrationId.of("int-1")));
        assertThat(store.findByEndpointKey("key-2")).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(IntegrationId.of("int-2")));
    }

    @Test
    public void integrationsWithoutAnEndpointKeyDoNotCollide() {
        store.create(integration(TENANT, "int-1", null));
        store.create(integration(TENANT, "int-2", null));

        assertThat(store.list(TENANT)).hasSize(2);
    }

    // ---- findDue ----

    @Test
    public void findDueReturnsActiveIntegrationsDueAtOrBeforeNowOrUnscheduled() {
        store.create(due(TENANT, "past", IntegrationStatus.ACTIVE, START.minusSeconds(60)));
        store.create(due(TENANT, "exactly-now", IntegrationStatus.ACTIVE, START));
        store.create(due(OTHER_TENANT, "unscheduled", IntegrationStatus.ACTIVE, null));
        store.create(due(TENANT, "future", IntegrationStatus.ACTIVE, START.plusSeconds(1)));

        assertThat(ids(store.findDue(START, 10))).containsExactlyInAnyOrder("past", "exactly-now", "unscheduled");
    }

    @Test
    public void findDueSkipsIntegrationsThatAreNotActive() {
        store.create(due(TENANT, "active", IntegrationStatus.ACTIVE, START.minusSeconds(60)));
        store.create(due(TENANT, "paused", IntegrationStatus.PAUSED, START.minusSeconds(60)));
        store.create(due(TENANT, "needs-reauth", IntegrationStatus.NEEDS_REAUTH, START.minusSeconds(60)));

        assertThat(ids(store.findDue(START, 10))).containsExactly("active");
    }

    @Test
    public void findDueListsTheOldestDueFirst() {
        store.create(due(TENANT, "b", IntegrationStatus.ACTIVE, START.minus(Duration.ofMinutes(5))));
        store.create(due(OTHER_TENANT, "c", IntegrationStatus.ACTIVE, START.minus(Duration.ofMinutes(1))));
        store.create(due(TENANT, "a", IntegrationStatus.ACTIVE, START.minus(Duration.ofMinutes(30))));

        assertThat(ids(store.findDue(START, 10))).containsExactly("a", "b", "c");
    }

    @Test
    public void findDueReturnsAtMostTheLimitTakingTheOldestDue() {
        for (int i = 0; i < 5; i++) {
            store.create(due(TENANT, "int-" + i, IntegrationStatus.ACTIVE, START.minus(Duration.ofMinutes(10 - i))));
        }

        assertThat(ids(store.findDue(START, 2))).containsExactly("int-0", "int-1");
    }

    @Test
    public void findDueSeesARescheduleImmediately() {
        Integration v1 = store.create(due(TENANT, "int-1", IntegrationStatus.ACTIVE, START.minusSeconds(1)));

        store.update(v1.withData(d -> d.withNextSyncAt(START.plus(Duration.ofMinutes(15)))));

        assertThat(store.findDue(START, 10)).isEmpty();
        assertThat(ids(store.findDue(START.plus(Duration.ofMinutes(15)), 10))).containsExactly("int-1");
    }

    // ---- listing and delete ----

    @Test
    public void listReturnsOnlyTheTenantsIntegrations() {
        store.create(integration(TENANT, "int-1", "key-1"));
        store.create(integration(TENANT, "int-2", "key-2"));
        store.create(integration(OTHER_TENANT, "int-3", "key-3"));

        assertThat(ids(store.list(TENANT))).containsExactlyInAnyOrder("int-1", "int-2");
        assertThat(ids(store.list(OTHER_TENANT))).containsExactly("int-3");
    }

    @Test
    public void listAllPagesThroughEveryTenantOrderedById() {
        store.create(integration(TENANT, "int-3", null));
        store.create(integration(OTHER_TENANT, "int-1", null));
        store.create(integration(TENANT, "int-5", null));
        store.create(integration(OTHER_TENANT, "int-2", null));
        store.create(integration(TENANT, "int-4", null));

        List<Integration> first = store.listAll(null, 2);
        List<Integration> second = store.listAll(first.get(1).id(), 2);
        List<Integration> third = store.listAll(second.get(1).id(), 2);

        assertThat(ids(first)).containsExactly("int-1", "int-2");
        assertThat(ids(second)).containsExactly("int-3", "int-4");
        assertThat(ids(third)).containsExactly("int-5");
        assertThat(store.listAll(third.get(0).id(), 2)).isEmpty();
    }

    @Test
    public void deleteRemovesTheIntegrationAndReleasesItsEndpointKey() {
        store.create(integration(TENANT, "int-1", "key-1"));

        store.delete(TENANT, IntegrationId.of("int-1"));

        assertThat(store.get(TENANT, IntegrationId.of("int-1"))).isEmpty();
        assertThat(store.findByEndpointKey("key-1")).isEmpty();
        store.create(integration(TENANT, "int-2", "key-1"));
        assertThat(store.findByEndpointKey("key-1")).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(IntegrationId.of("int-2")));
    }

    @Test
    public void deleteAddressedToAnotherTenantLeavesTheIntegration() {
        store.create(integration(TENANT, "int-1", "key-1"));

        store.delete(OTHER_TENANT, IntegrationId.of("int-1"));

        assertThat(store.get(TENANT, IntegrationId.of("int-1"))).isPresent();
        assertThat(store.findByEndpointKey("key-1")).isPresent();
    }

    // ---- fixtures ----

    /** An active, manually scheduled Salesforce integration with a few settings. */
    protected static Integration integration(TenantId tenant, String id, String endpointKey) {
        IntegrationData data = IntegrationData.of("salesforce", List.of())
                .withSettings(Map.of("instanceUrl", "https://acme.my.salesforce.com", "orgId", "00D000000000001"))
                .withSyncFrequency(SyncFrequency.everyMinutes(15))
                .withWriteBack(WriteBackSettings.enabledWithDefaults())
                .withWebhookEndpointKey(endpointKey);
        return new Integration(IntegrationId.of(id), tenant, "Salesforce " + id, data, 0, null, null);
    }

    protected static Integration due(TenantId tenant, String id, IntegrationStatus status, Instant nextSyncAt) {
        return integration(tenant, id, null).withData(d -> d.withStatus(status).withNextSyncAt(nextSyncAt));
    }

    protected static List<String> ids(List<Integration> integrations) {
        return integrations.stream().map(i -> i.id().value()).toList();
    }
}
