package com.castiel.sync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RecordError;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.RunStatus;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link RunStore} must have: runs saved by id and read within their tenant,
 * history newest first, one checkpoint per integration that can be replaced and cleared, one
 * sync state per entity, and per-run, per-entity seen-sets that accumulate until cleared.
 *
 * <p>Extend it, implement {@link #createStore(MutableClock)} to return an empty store, and
 * override {@link #cleanUp()} when it holds files.
 */
public abstract class RunStoreContract {

    protected static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    protected static final TenantId TENANT = TenantId.of("tenant-a");
    protected static final TenantId OTHER_TENANT = TenantId.of("tenant-b");
    protected static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    protected static final IntegrationId OTHER_INTEGRATION = IntegrationId.of("int-2");

    protected MutableClock clock;
    protected RunStore store;

    /** An empty store. */
    protected abstract RunStore createStore(MutableClock clock);

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

    // ---- runs and history ----

    @Test
    public void savedRunIsReadableWithEveryField() {
        SyncRun run = run("run-1", TENANT, INTEGRATION, START)
                .finished(RunStatus.PARTIAL, START.plusSeconds(42), new SyncStats(1, 2, 3, 4, 5, 6, 7), "2 records failed",
                        List.of(new RecordError("Account", "001A", "Name", "required"), new RecordError("Account", "001B", null, "locked")));

        store.saveRun(run);

        assertThat(store.run(TENANT, run.id())).contains(run);
    }

    @Test
    public void runOfAnUnknownIdIsEmpty() {
        assertThat(store.run(TENANT, RunId.of("missing"))).isEmpty();
    }

    @Test
    public void savingARunAgainReplacesIt() {
        SyncRun running = run("run-1", TENANT, INTEGRATION, START);
        store.saveRun(running);

        SyncRun done = running.finished(RunStatus.SUCCEEDED, START.plusSeconds(10), new SyncStats(5, 0, 0, 0, 0, 0, 0), null, List.of());
        store.saveRun(done);

        assertThat(store.run(TENANT, running.id())).contains(done);
        assertThat(store.history(TENANT, INTEGRATION, 10)).containsExactly(done);
    }

    @Test
    public void runIsScopedByTenant() {
        store.saveRun(run("run-1", TENANT, INTEGRATION, START));

        assertThat(store.run(OTHER_TENANT, RunId.of("run-1"))).isEmpty();
    }

    @Test
    public void historyListsTheNewestRunsFirstUpToTheLimit() {
        for (int i = 0; i < 5; i++) {
            store.saveRun(run("run-" + i, TENANT, INTEGRATION, START.plus(Duration.ofMinutes(i))));
        }

        List<SyncRun> history = store.history(TENANT, INTEGRATION, 3);

        assertThat(history).extracting(r -> r.id().value()).containsExactly("run-4", "run-3", "run-2");
    }

    @Test
    public void historyOrdersByStartTimeNotBySaveOrder() {
        store.saveRun(run("late", TENANT, INTEGRATION, START.plus(Duration.ofHours(1))));
        store.saveRun(run("early", TENANT, INTEGRATION, START));

        assertThat(store.history(TENANT, INTEGRATION, 10)).extracting(r -> r.id().value()).containsExactly("late", "early");
    }

    @Test
    public void historyOnlyHoldsThatIntegrationOfThatTenant() {
        store.saveRun(run("mine", TENANT, INTEGRATION, START));
        store.saveRun(run("other-integration", TENANT, OTHER_INTEGRATION, START));
        store.saveRun(run("other-tenant", OTHER_TENANT, INTEGRATION, START));

        assertThat(store.history(TENANT, INTEGRATION, 10)).extracting(r -> r.id().value()).containsExactly("mine");
    }

    @Test
    public void historyOfAnIntegrationWithoutRunsIsEmpty() {
        assertThat(store.history(TENANT, INTEGRATION, 10)).isEmpty();
    }

    // ---- checkpoints ----

    @Test
    public void savedCheckpointIsReadableWithEveryField() {
        SyncCheckpoint checkpoint = checkpoint(TENANT, INTEGRATION, "run-1", "cursor-page-3", 3);

        store.saveCheckpoint(checkpoint);

        assertThat(store.checkpoint(TENANT, INTEGRATION)).contains(checkpoint);
    }

    @Test
    public void savingACheckpointReplacesThePreviousOne() {
        store.saveCheckpoint(checkpoint(TENANT, INTEGRATION, "run-1", "cursor-page-3", 3));
        SyncCheckpoint later = checkpoint(TENANT, INTEGRATION, "run-1", "cursor-page-4", 4);

        store.saveCheckpoint(later);

        assertThat(store.checkpoint(TENANT, INTEGRATION)).contains(later);
    }

    @Test
    public void clearingACheckpointRemovesIt() {
        store.saveCheckpoint(checkpoint(TENANT, INTEGRATION, "run-1", "cursor", 1));

        store.clearCheckpoint(TENANT, INTEGRATION);

        assertThat(store.checkpoint(TENANT, INTEGRATION)).isEmpty();
    }

    @Test
    public void clearingAMissingCheckpointIsANoOp() {
        store.clearCheckpoint(TENANT, INTEGRATION);

        assertThat(store.checkpoint(TENANT, INTEGRATION)).isEmpty();
    }

    @Test
    public void checkpointsArePerIntegrationAndTenant() {
        SyncCheckpoint mine = checkpoint(TENANT, INTEGRATION, "run-1", "a", 1);
        SyncCheckpoint otherIntegration = checkpoint(TENANT, OTHER_INTEGRATION, "run-2", "b", 2);
        store.saveCheckpoint(mine);
        store.saveCheckpoint(otherIntegration);

        store.clearCheckpoint(TENANT, OTHER_INTEGRATION);

        assertThat(store.checkpoint(TENANT, INTEGRATION)).contains(mine);
        assertThat(store.checkpoint(TENANT, OTHER_INTEGRATION)).isEmpty();
        assertThat(store.checkpoint(OTHER_TENANT, INTEGRATION)).isEmpty();
    }

    // ---- entity sync state ----

    @Test
    public void savedEntityStateIsReadableWithEveryField() {
        EntitySyncState state = EntitySyncState.initial(TENANT, INTEGRATION, "Account")
                .withWatermark(new Watermark(START, "001A"))
                .withDeletedWatermark(START.minusSeconds(30))
                .withDeltaToken("delta-token-1")
                .withLastFullScanAt(START.minus(Duration.ofDays(1)));

        store.saveEntityState(state);

        assertThat(store.entityState(TENANT, INTEGRATION, "Account")).contains(state);
    }

    @Test
    public void savingAnEntityStateReplacesThePreviousOne() {
        EntitySyncState first = EntitySyncState.initial(TENANT, INTEGRATION, "Account").withWatermark(new Watermark(START, "001A"));
        store.saveEntityState(first);

        EntitySyncState advanced = first.withWatermark(new Watermark(START.plusSeconds(60), "001B"));
        store.saveEntityState(advanced);

        assertThat(store.entityState(TENANT, INTEGRATION, "Account")).contains(advanced);
    }

    @Test
    public void entityStatesArePerEntityIntegrationAndTenant() {
        EntitySyncState account = EntitySyncState.initial(TENANT, INTEGRATION, "Account").withDeltaToken("a");
        store.saveEntityState(account);

        assertThat(store.entityState(TENANT, INTEGRATION, "Contact")).isEmpty();
        assertThat(store.entityState(TENANT, OTHER_INTEGRATION, "Account")).isEmpty();
        assertThat(store.entityState(OTHER_TENANT, INTEGRATION, "Account")).isEmpty();
        assertThat(store.entityState(TENANT, INTEGRATION, "Account")).contains(account);
    }

    // ---- seen-sets ----

    @Test
    public void seenAmongReturnsOnlyTheIdsTheRunHasSeen() {
        RunId run = RunId.of("run-1");
        store.markSeen(run, "Account", List.of("001", "002", "003"));

        assertThat(store.seenAmong(run, "Account", List.of("002", "003", "004", "005"))).containsExactlyInAnyOrder("002", "003");
    }

    @Test
    public void seenIdsAccumulateAcrossCalls() {
        RunId run = RunId.of("run-1");
        store.markSeen(run, "Account", List.of("001"));
        store.markSeen(run, "Account", List.of("002"));
        store.markSeen(run, "Account", List.of("001"));

        assertThat(store.seenAmong(run, "Account", List.of("001", "002", "003"))).containsExactlyInAnyOrder("001", "002");
    }

    @Test
    public void seenSetsArePerRunAndEntity() {
        store.markSeen(RunId.of("run-1"), "Account", List.of("001"));

        assertThat(store.seenAmong(RunId.of("run-1"), "Contact", List.of("001"))).isEmpty();
        assertThat(store.seenAmong(RunId.of("run-2"), "Account", List.of("001"))).isEmpty();
    }

    @Test
    public void clearSeenDropsOnlyThatRunsSeenSet() {
        store.markSeen(RunId.of("run-1"), "Account", List.of("001"));
        store.markSeen(RunId.of("run-1"), "Contact", List.of("003"));
        store.markSeen(RunId.of("run-2"), "Account", List.of("002"));

        store.clearSeen(RunId.of("run-1"));

        assertThat(store.seenAmong(RunId.of("run-1"), "Account", List.of("001"))).isEmpty();
        assertThat(store.seenAmong(RunId.of("run-1"), "Contact", List.of("003"))).isEmpty();
        assertThat(store.seenAmong(RunId.of("run-2"), "Account", List.of("002"))).containsExactly("002");
    }

    @Test
    public void seenSetsHandlePageSizedBatches() {
        RunId run = RunId.of("run-1");
        List<String> page = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            page.add(String.format("ext-%05d", i));
        }
        store.markSeen(run, "Account", page);

        List<String> probe = new ArrayList<>(page.subList(2000, 2500));
        probe.add("ext-99999");

        assertThat(store.seenAmong(run, "Account", probe)).hasSize(500).doesNotContain("ext-99999");
    }

    // ---- fixtures ----

    protected static SyncRun run(String id, TenantId tenant, IntegrationId integration, Instant startedAt) {
        return new SyncRun(RunId.of(id), integration, tenant, JobType.INCREMENTAL, RunStatus.RUNNING, startedAt, null,
                SyncStats.EMPTY, null, List.of(), "corr-" + id, 1, false);
    }

    protected static SyncCheckpoint checkpoint(TenantId tenant, IntegrationId integration, String runId, String cursor, long pages) {
        return new SyncCheckpoint(tenant, integration, RunId.of(runId), JobType.FULL_SYNC, "Account", "records", cursor,
                new Watermark(START.plusSeconds(pages), "001" + pages), pages, new SyncStats(pages * 10, 0, 0, 0, 0, 0, 0),
                START.plusSeconds(pages));
    }
}
