package com.castiel.sync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.testkit.adapter.ContractHost;
import com.castiel.sync.testkit.fake.Fault;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every provider adapter must show against its fake, run over real HTTP. Extend
 * it in the adapter module's tests, supply the factory and a {@link ProviderFixture}, and every
 * test below runs; tests for capabilities the adapter does not declare are skipped (JUnit
 * assumptions), so the suite states exactly what a declaration promises.
 *
 * <p>Each test gets a fresh fixture and an adapter created through the engine's own hosting
 * ({@link ContractHost}: the host's adapter context, HTTP chain and token lifecycle) on the
 * fixture's clock, settings and credentials. Request-level retries are off there, so each
 * injected fault reaches the caller as the adapter classified it.
 *
 * <p>Covered: discovery (ServiceLoader registration, declared capabilities, no I/O on create);
 * reads (paging to completion with every record exactly once, (stamp, id) order, incremental
 * resume without gaps or duplicates across equal stamps, deleted feed, fetch by ids, delta
 * tokens); fault classification (429, 503, connection reset, slow body, malformed JSON, expired
 * and revoked tokens); writes (create, update, delete, per-record failures with the field named,
 * idempotent repeats, conditional writes, partial batch failure, upsert) and the requests they
 * cost, from the fake's journal; webhooks (authentic, forged, stale).
 */
public abstract class ProviderAdapterContract {

    /** Safety bound on pages in one scan, so a cursor that never ends fails instead of hanging. */
    private static final int MAX_PAGES = 1_000;

    protected ProviderFixture fixture;
    protected ContractHost host;
    protected ProviderAdapter adapter;

    /** The factory under test (the same class that is registered for ServiceLoader). */
    protected abstract ProviderAdapterFactory factory();

    /** Starts a fresh fake with an empty {@link ProviderFixture#entity()}. */
    protected abstract ProviderFixture startFixture();

    /** How many records the paging tests seed; must exceed {@link #smallPageSize()} at least twice. */
    protected int pagingRecordCount() {
        return 12;
    }

    /** A page size the provider honours that splits {@link #pagingRecordCount()} into several pages. */
    protected int smallPageSize() {
        return 5;
    }

    /** Per-request response timeout of the test context. */
    protected Duration requestTimeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    final void startAdapter() {
        fixture = startFixture();
        host = new ContractHost(factory(), fixture.settings(), fixture.credentials(), fixture.clock(), requestTimeout());
        adapter = host.openAdapter();
    }

    @AfterEach
    final void stopAdapter() {
        try {
            if (adapter != null) {
                adapter.close();
            }
        } finally {
            try {
                if (host != null) {
                    host.close();
                }
            } finally {
                if (fixture != null) {
                    fixture.close();
                }
            }
        }
    }

    // ---- discovery ----------------------------------------------------------------------------

    @Test
    void factoryIsRegisteredForServiceLoader() {
        List<ProviderAdapterFactory> registered = ServiceLoader.load(ProviderAdapterFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals(factory().id()))
                .toList();
        assertThat(registered).as("factories registered with id '%s'", factory().id()).hasSize(1);
        assertThat(registered.get(0)).isExactlyInstanceOf(factory().getClass());
    }

    @Test
    void factoryDeclaresTheAdaptersCapabilitiesIdAndVersion() {
        assertThat(factory().capabilities()).isEqualTo(adapter.capabilities()).contains(Capability.READ);
        assertThat(factory().id()).isNotBlank().isEqualTo(factory().id().toLowerCase(java.util.Locale.ROOT));
        assertThat(factory().version()).isNotBlank();
    }

    @Test
    void creatingAnAdapterDoesNoNetworkIo() {
        assertThat(fixture.journal().totalCount()).isZero();
    }

    // ---- reads --------------------------------------------------------------------------------

    @Test
    void fullScanPagesToCompletionWithEveryRecordExactlyOnce() {
        Set<String> seeded = seedMany(pagingRecordCount(), 0, Duration.ofSeconds(1));
        List<Page> pages = scan(request(null, smallPageSize()));
        List<String> ids = liveIds(pages);
        assertThat(pages).as("pages of a %d-record scan at page size %d", seeded.size(), smallPageSize()).hasSizeGreaterThan(1);
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(seeded);
    }

    @Test
    void fullScanOfAnEmptyEntityEndsWithNoRecords() {
        assertThat(liveIds(scan(request(null, smallPageSize())))).isEmpty();
    }

    @Test
    void scannedRecordsCarryTheirEntityIdAndFields() {
        ObjectNode fields = fixture.newRecordFields(1);
        String id = fixture.seed(fields);
        List<ExternalRecord> records = records(scan(request(null, smallPageSize())));
        assertThat(records).hasSize(1);
        ExternalRecord r = records.get(0);
        assertThat(r.entity()).isEqualTo(fixture.entity());
        assertThat(r.id()).isEqualTo(id);
        assertThat(r.deleted()).isFalse();
        assertContainsValues(r.fields(), fields);
    }

    @Test
    void deletedRecordsAreAbsentFromAFullScan() {
        List<String> ids = new ArrayList<>(seedMany(3, 0, Duration.ZERO));
        fixture.delete(ids.get(1));
        assertThat(liveIds(scan(request(null, smallPageSize())))).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
    }

    @Test
    void fullScanIsInAscendingStampIdOrder() {
        requires(Capability.INCREMENTAL);
        seedMany(4, 0, Duration.ZERO);
        fixture.advanceTime(Duration.ofSeconds(1));
        seedMany(4, 4, Duration.ZERO);
        List<Watermark> order = records(scan(request(null, smallPageSize()))).stream().map(ExternalRecord::watermark).toList();
        assertThat(order).doesNotContainNull().hasSize(8).isSortedAccordingTo(Comparator.naturalOrder());
    }

    @Test
    void incrementalFromAWatermarkReturnsExactlyTheLaterRecordsInOrder() {
        requires(Capability.INCREMENTAL);
        seedMany(3, 0, Duration.ZERO);
        fixture.advanceTime(Duration.ofSeconds(1));
        seedMany(3, 3, Duration.ZERO); // three records sharing one stamp
        fixture.advanceTime(Duration.ofSeconds(1));
        seedMany(2, 6, Duration.ZERO);
        List<ExternalRecord> all = records(scan(request(null, smallPageSize())));
        assertThat(all).hasSize(8);
        Watermark middleOfTies = all.get(4).watermark();
        assertThat(all.get(3).modifiedAt()).isEqualTo(all.get(4).modifiedAt()).isEqualTo(all.get(5).modifiedAt());

        List<ExternalRecord> later = records(scan(request(middleOfTies, smallPageSize())));

        assertThat(later).extracting(ExternalRecord::id).containsExactlyElementsOf(all.subList(5, 8).stream().map(ExternalRecord::id).toList());
    }

    @Test
    void resumingFromEachPagesLastWatermarkNeitherSkipsNorRepeats() {
        requires(Capability.INCREMENTAL);
        Set<String> seeded = new HashSet<>();
        for (int i = 0; i < pagingRecordCount(); i++) {
            seeded.add(fixture.seed(fixture.newRecordFields(i)));
            if (i % 3 == 2) {
                fixture.advanceTime(Duration.ofSeconds(1)); // runs of equal stamps across page boundaries
            }
        }
        List<String> seen = new ArrayList<>();
        Watermark resumeFrom = null;
        for (int attempt = 0; attempt < MAX_PAGES; attempt++) {
            // a crash after every page: each resume starts a new scan from the durable watermark
            Page page = adapter.fetch(request(resumeFrom, smallPageSize()));
            page.records().stream().filter(r -> !r.deleted()).forEach(r -> seen.add(r.id()));
            if (page.records().isEmpty() || page.done()) {
                break;
            }
            resumeFrom = page.records().get(page.records().size() - 1).watermark();
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(seeded);
    }

    @Test
    void changedRecordReappearsAfterTheWatermarkWithItsNewValues() {
        requires(Capability.INCREMENTAL);
        List<String> ids = new ArrayList<>(seedMany(3, 0, Duration.ZERO));
        Watermark high = maxWatermark(records(scan(request(null, smallPageSize()))));
        fixture.advanceTime(Duration.ofSeconds(1));
        ObjectNode change = fixture.changedFields(1);
        fixture.modify(ids.get(0), change);
        fixture.advanceTime(Duration.ofSeconds(1));
        String created = fixture.seed(fixture.newRecordFields(9));

        List<ExternalRecord> later = records(scan(request(high, smallPageSize())));

        assertThat(later).extracting(ExternalRecord::id).containsExactly(ids.get(0), created);
        assertContainsValues(later.get(0).fields(), change);
        assertThat(later.get(0).watermark()).isGreaterThan(high);
    }

    @Test
    void deletedFeedReportsDeletionsAfterTheWatermarkInOrder() {
        requires(Capability.DELETED_FEED);
        List<String> ids = new ArrayList<>(seedMany(3, 0, Duration.ZERO));
        Watermark beforeDeletes = maxWatermark(records(scan(request(null, smallPageSize()))));
        fixture.advanceTime(Duration.ofSeconds(1));
        fixture.delete(ids.get(2));
        fixture.advanceTime(Duration.ofSeconds(1));
        fixture.delete(ids.get(0));

        List<ExternalRecord> tombstones = records(scanDeleted(request(beforeDeletes, smallPageSize())));

        assertThat(tombstones).extracting(ExternalRecord::id).containsExactly(ids.get(2), ids.get(0));
        assertThat(tombstones).allSatisfy(t -> {
            assertThat(t.deleted()).isTrue();
            assertThat(t.modifiedAt()).isNotNull();
        });
        List<ExternalRecord> afterFirst = records(scanDeleted(request(tombstones.get(0).watermark(), smallPageSize())));
        assertThat(afterFirst).extracting(ExternalRecord::id).containsExactly(ids.get(0));
    }

    @Test
    void fetchByIdsReturnsExistingRecordsAndOmitsMissingOrDeletedOnes() {
        requires(Capability.FETCH_BY_IDS);
        List<String> ids = new ArrayList<>(seedMany(3, 0, Duration.ZERO));
        fixture.delete(ids.get(1));
        String missing = ids.get(0) + "-missing";

        List<ExternalRecord> found = adapter.fetchByIds(fixture.entity(), List.of(ids.get(0), ids.get(1), ids.get(2), missing), fields());

        assertThat(found).extracting(ExternalRecord::id).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
        assertThat(found).allSatisfy(r -> assertThat(r.entity()).isEqualTo(fixture.entity()));
    }

    @Test
    void deltaTokenFromAScanYieldsOnlyLaterChangesIncludingDeletions() {
        requires(Capability.DELTA);
        List<String> ids = new ArrayList<>(seedMany(4, 0, Duration.ZERO));
        List<Page> first = scan(request(null, smallPageSize()));
        String token = first.get(first.size() - 1).deltaToken();
        assertThat(token).as("delta token on the last page of a scan").isNotBlank();
        fixture.advanceTime(Duration.ofSeconds(1));
        fixture.modify(ids.get(1), fixture.changedFields(1));
        fixture.delete(ids.get(2));
        String created = fixture.seed(fixture.newRecordFields(7));

        List<Page> delta = scan(new FetchRequest(fixture.entity(), fields(), List.of(), null, null, token, smallPageSize()));
        List<ExternalRecord> changes = records(delta);

        assertThat(changes.stream().filter(r -> !r.deleted()).map(ExternalRecord::id)).containsExactlyInAnyOrder(ids.get(1), created);
        assertThat(changes.stream().filter(ExternalRecord::deleted).map(ExternalRecord::id)).containsExactly(ids.get(2));
        assertThat(delta.get(delta.size() - 1).deltaToken()).isNotBlank();
    }

    // ---- fault classification -------------------------------------------------------------------

    @Test
    void rateLimitIsClassifiedWithItsRetryAfter() {
        fixture.inject(Fault.rateLimited(7), 1);
        SyncException.RateLimited failure = catchThrowableOfType(SyncException.RateLimited.class,
                () -> adapter.fetch(request(null, smallPageSize())));
        assertThat(failure).as("a 429 must surface as RateLimited").isNotNull();
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void serviceUnavailableIsTransient() {
        fixture.inject(Fault.serviceUnavailable(), 1);
        SyncException.Transient failure = catchThrowableOfType(SyncException.Transient.class,
                () -> adapter.fetch(request(null, smallPageSize())));
        assertThat(failure).as("a 503 must surface as Transient").isNotNull();
        assertThat(failure.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void connectionResetIsTransient() {
        seedMany(2, 0, Duration.ZERO);
        fixture.inject(Fault.connectionReset(), 1);
        SyncException.Transient failure = catchThrowableOfType(SyncException.Transient.class,
                () -> adapter.fetch(request(null, smallPageSize())));
        assertThat(failure).as("a reset connection must surface as Transient").isNotNull();
        assertThat(failure.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
    }

    @Test
    void malformedJsonFailsLoudlyInsteadOfLookingLikeAnEmptyPage() {
        seedMany(2, 0, Duration.ZERO);
        fixture.inject(Fault.malformedJson(), 1);
        assertThatThrownBy(() -> adapter.fetch(request(null, smallPageSize())))
                .isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void slowBodyStillYieldsTheWholePage() {
        Set<String> seeded = seedMany(3, 0, Duration.ZERO);
        fixture.inject(Fault.slowBody(Duration.ofMillis(300)), 1);
        assertThat(liveIds(scan(request(null, smallPageSize())))).containsExactlyInAnyOrderElementsOf(seeded);
    }

    @Test
    void expiredAccessTokenIsRefreshedOnceAndTheCallReplayed() {
        requires(Capability.TOKEN_REFRESH);
        String id = fixture.seed(fixture.newRecordFields(1));
        warmUp();
        long refreshes = tokenRequests();
        fixture.inject(Fault.expiredToken(), 1);

        assertThat(liveIds(scan(request(null, smallPageSize())))).containsExactly(id);
        assertThat(tokenRequests()).isEqualTo(refreshes + 1);
    }

    @Test
    void tokensExpiredAtTheProviderAreReplacedTransparently() {
        requires(Capability.TOKEN_REFRESH);
        warmUp();
        String before = host.storedCredentials().accessToken();
        fixture.expireAccessTokens();

        adapter.fetch(request(null, smallPageSize()));

        assertThat(host.storedCredentials().accessToken()).isNotNull().isNotEqualTo(before);
    }

    @Test
    void persistentAuthExpiryIsReportedAfterASingleRefresh() {
        requires(Capability.TOKEN_REFRESH);
        warmUp();
        long refreshes = tokenRequests();
        fixture.inject(Fault.expiredToken(), 2);

        // the adapter classifies each 401 as AuthExpired; the host refreshes once, then gives up
        assertThatThrownBy(() -> adapter.fetch(request(null, smallPageSize())))
                .isInstanceOfAny(SyncException.AuthExpired.class, SyncException.AuthFailed.class);
        assertThat(tokenRequests()).isEqualTo(refreshes + 1);
    }

    @Test
    void revokedRefreshTokenFailsWithAuthFailed() {
        requires(Capability.TOKEN_REFRESH);
        warmUp();
        fixture.revokeRefreshTokens();
        fixture.expireAccessTokens();

        assertThatThrownBy(() -> adapter.fetch(request(null, smallPageSize())))
                .isInstanceOf(SyncException.AuthFailed.class)
                .satisfies(e -> assertThat(((SyncException) e).retryable()).isFalse());
    }

    @Test
    void refreshCredentialsGrantsANewAccessTokenAndKeepsARefreshToken() {
        requires(Capability.TOKEN_REFRESH);
        warmUp();
        Credentials current = host.storedCredentials();

        Credentials next = adapter.refreshCredentials(current);

        assertThat(next.accessToken()).isNotBlank().isNotEqualTo(current.accessToken());
        if (current.refreshToken() != null) {
            assertThat(next.refreshToken()).as("refresh token kept or rotated").isNotBlank();
        }
        assertThat(next.properties()).containsAllEntriesOf(current.properties());
        assertThat(next.toString()).doesNotContain(next.accessToken());
    }

    @Test
    void expiredTokenWithoutRefreshCapabilityIsAnAuthenticationFailure() {
        assumeFalse(adapter.capabilities().contains(Capability.TOKEN_REFRESH), "adapter refreshes tokens");
        fixture.inject(Fault.expiredToken(), 1);
        assertThatThrownBy(() -> adapter.fetch(request(null, smallPageSize())))
                .isInstanceOfAny(SyncException.AuthExpired.class, SyncException.AuthFailed.class);
    }

    // ---- writes -------------------------------------------------------------------------------

    @Test
    void createReturnsTheNewIdAndTheRecordExists() {
        requires(Capability.WRITE);
        ObjectNode fields = fixture.newRecordFields(1);

        WriteResult.Written written = written(adapter.write(WriteRequest.create(fixture.entity(), fields)));

        assertThat(written.externalId()).isNotBlank();
        assertThat(written.created()).isTrue();
        assertThat(fixture.fieldsOf(written.externalId())).hasValueSatisfying(f -> assertContainsValues(f, fields));
    }

    @Test
    void updateChangesTheGivenFields() {
        requires(Capability.WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        ObjectNode change = fixture.changedFields(1);

        WriteResult.Written written = written(adapter.write(WriteRequest.update(fixture.entity(), id, change)));

        assertThat(written.externalId()).isEqualTo(id);
        assertThat(written.created()).isFalse();
        assertThat(fixture.fieldsOf(id)).hasValueSatisfying(f -> assertContainsValues(f, change));
    }

    @Test
    void deleteRemovesTheRecordAndASecondDeleteIsNotFound() {
        requires(Capability.WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));

        written(adapter.write(WriteRequest.delete(fixture.entity(), id)));
        assertThat(fixture.fieldsOf(id)).isEmpty();

        WriteResult again = adapter.write(WriteRequest.delete(fixture.entity(), id));
        assertThat(failure(again)).isInstanceOf(SyncException.NotFound.class);
    }

    @Test
    void updateOfAMissingRecordFailsWithNotFound() {
        requires(Capability.WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        fixture.delete(id);

        WriteResult result = adapter.write(WriteRequest.update(fixture.entity(), id, fixture.changedFields(1)));

        assertThat(failure(result)).isInstanceOf(SyncException.NotFound.class);
    }

    @Test
    void invalidRecordFailsWithValidationNamingTheField() {
        requires(Capability.WRITE);
        ProviderFixture.InvalidWrite invalid = fixture.invalidWrite();

        WriteResult result = adapter.write(WriteRequest.create(fixture.entity(), invalid.fields()));

        assertThat(failure(result)).isInstanceOfSatisfying(SyncException.Validation.class,
                v -> assertThat(v.field()).isEqualTo(invalid.field()));
    }

    @Test
    void repeatingTheSameUpdateIsIdempotent() {
        requires(Capability.WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        ObjectNode change = fixture.changedFields(1);
        WriteRequest update = WriteRequest.update(fixture.entity(), id, change);

        WriteResult.Written first = written(adapter.write(update));
        ObjectNode afterFirst = fixture.fieldsOf(id).orElseThrow();
        WriteResult.Written second = written(adapter.write(update));

        assertThat(second.externalId()).isEqualTo(first.externalId());
        assertThat(fixture.fieldsOf(id)).contains(afterFirst);
        assertThat(liveIds(scan(request(null, smallPageSize())))).containsExactly(id);
    }

    @Test
    void eachSingleWriteCostsOneProviderRequest() {
        requires(Capability.WRITE);
        warmUp();
        long before = apiRequests();

        written(adapter.write(WriteRequest.create(fixture.entity(), fixture.newRecordFields(1))));

        assertThat(apiRequests() - before).isEqualTo(1);
    }

    @Test
    void rateLimitedWriteIsThrownNotReturnedAsARecordFailure() {
        requires(Capability.WRITE);
        fixture.inject(Fault.rateLimited(3), 1);
        assertThatThrownBy(() -> adapter.write(WriteRequest.create(fixture.entity(), fixture.newRecordFields(1))))
                .isInstanceOf(SyncException.RateLimited.class);
    }

    @Test
    void conditionalUpdateWithTheCurrentVersionSucceeds() {
        requires(Capability.WRITE, Capability.CONDITIONAL_WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        String version = currentVersion(id);
        ObjectNode change = fixture.changedFields(1);

        written(adapter.write(WriteRequest.update(fixture.entity(), id, change).withPreconditions(version, null)));

        assertThat(fixture.fieldsOf(id)).hasValueSatisfying(f -> assertContainsValues(f, change));
    }

    @Test
    void conditionalUpdateWithAStaleVersionFailsWithConflictAndChangesNothing() {
        requires(Capability.WRITE, Capability.CONDITIONAL_WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        String staleVersion = currentVersion(id);
        fixture.advanceTime(Duration.ofSeconds(1));
        ObjectNode theirs = fixture.changedFields(1);
        fixture.modify(id, theirs);

        WriteResult result = adapter.write(WriteRequest.update(fixture.entity(), id, fixture.changedFields(2)).withPreconditions(staleVersion, null));

        assertThat(failure(result)).isInstanceOf(SyncException.Conflict.class);
        assertThat(fixture.fieldsOf(id)).hasValueSatisfying(f -> assertContainsValues(f, theirs));
    }

    @Test
    void batchWithOneInvalidRecordFailsThatRecordAlone() {
        requires(Capability.WRITE, Capability.BATCH_WRITE);
        String existing = fixture.seed(fixture.newRecordFields(1));
        ObjectNode valid = fixture.newRecordFields(2);
        ProviderFixture.InvalidWrite invalid = fixture.invalidWrite();
        ObjectNode change = fixture.changedFields(3);
        warmUp();
        long before = apiRequests();

        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.create(fixture.entity(), valid),
                WriteRequest.create(fixture.entity(), invalid.fields()),
                WriteRequest.update(fixture.entity(), existing, change)));

        assertThat(results).hasSize(3);
        WriteResult.Written created = written(results.get(0));
        assertThat(fixture.fieldsOf(created.externalId())).hasValueSatisfying(f -> assertContainsValues(f, valid));
        assertThat(failure(results.get(1))).isInstanceOfSatisfying(SyncException.Validation.class,
                v -> assertThat(v.field()).isEqualTo(invalid.field()));
        assertThat(written(results.get(2)).externalId()).isEqualTo(existing);
        assertThat(fixture.fieldsOf(existing)).hasValueSatisfying(f -> assertContainsValues(f, change));
        assertThat(apiRequests() - before).as("provider calls for a batch of 3").isEqualTo(1);
    }

    @Test
    void batchLargerThanTheMaximumIsSplitAndKeepsRequestOrder() {
        requires(Capability.WRITE, Capability.BATCH_WRITE);
        int max = adapter.maxBatchSize();
        assertThat(max).isPositive();
        assumeTrue(max <= 200, "batch maximum too large to exercise cheaply");
        List<WriteRequest> creates = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            creates.add(WriteRequest.create(fixture.entity(), fixture.newRecordFields(100 + i)));
        }
        warmUp();
        long before = apiRequests();

        List<WriteResult> results = adapter.writeBatch(creates);

        assertThat(results).hasSize(max + 1);
        for (int i = 0; i <= max; i++) {
            ObjectNode expected = creates.get(i).fields();
            assertThat(fixture.fieldsOf(written(results.get(i)).externalId())).hasValueSatisfying(f -> assertContainsValues(f, expected));
        }
        assertThat(apiRequests() - before).isEqualTo(2);
    }

    @Test
    void upsertCreatesOnceThenUpdatesTheSameRecord() {
        requires(Capability.WRITE, Capability.UPSERT);
        String key = "contract-upsert-" + fixture.entity();

        WriteResult.Written first = written(adapter.write(WriteRequest.upsert(fixture.entity(), fixture.upsertField(), key, fixture.newRecordFields(1))));
        ObjectNode change = fixture.changedFields(1);
        WriteResult.Written second = written(adapter.write(WriteRequest.upsert(fixture.entity(), fixture.upsertField(), key, change)));

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.externalId()).isEqualTo(first.externalId());
        assertThat(fixture.fieldsOf(first.externalId())).hasValueSatisfying(f -> assertContainsValues(f, change));
    }

    @Test
    void conditionalUpdateWithAStaleModificationTimeFailsWithConflictAndChangesNothing() {
        requires(Capability.WRITE, Capability.CONDITIONAL_WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        java.time.Instant seenAt = currentRecord(id).modifiedAt();
        assertThat(seenAt).as("CONDITIONAL_WRITE adapters report modification stamps on read records").isNotNull();
        fixture.advanceTime(Duration.ofSeconds(2));
        ObjectNode theirs = fixture.changedFields(1);
        fixture.modify(id, theirs);

        WriteResult result = adapter.write(WriteRequest.update(fixture.entity(), id, fixture.changedFields(2)).withPreconditions(null, seenAt));

        assertThat(failure(result)).isInstanceOf(SyncException.Conflict.class);
        assertThat(fixture.fieldsOf(id)).hasValueSatisfying(f -> assertContainsValues(f, theirs));
    }

    @Test
    void versionReturnedByAWriteIsAcceptedByTheNextConditionalWrite() {
        requires(Capability.WRITE, Capability.CONDITIONAL_WRITE);
        String id = fixture.seed(fixture.newRecordFields(1));
        WriteResult.Written first = written(adapter.write(WriteRequest.update(fixture.entity(), id, fixture.changedFields(1))));
        assertThat(first.version()).as("CONDITIONAL_WRITE adapters report the version a write produced").isNotBlank();
        ObjectNode next = fixture.changedFields(2);

        written(adapter.write(WriteRequest.update(fixture.entity(), id, next).withPreconditions(first.version(), null)));

        assertThat(fixture.fieldsOf(id)).hasValueSatisfying(f -> assertContainsValues(f, next));
    }

    /**
     * Write-back remembers the version and stamp a write returns and takes the next read that
     * reports them as its own echo; both must therefore be what a read of the record reports.
     */
    @Test
    void versionAndStampReturnedByAWriteAreWhatAReadThenReports() {
        requires(Capability.WRITE, Capability.FETCH_BY_IDS);
        String id = fixture.seed(fixture.newRecordFields(1));
        fixture.advanceTime(Duration.ofSeconds(1));

        WriteResult.Written w = written(adapter.write(WriteRequest.update(fixture.entity(), id, fixture.changedFields(1))));
        ExternalRecord read = adapter.fetchByIds(fixture.entity(), List.of(id), fields()).stream().findFirst()
                .orElseThrow(() -> new AssertionError("record " + id + " not found by id"));

        if (w.version() != null) {
            assertThat(read.version()).as("version").isEqualTo(w.version());
        }
        if (w.modifiedAt() != null) {
            assertThat(read.modifiedAt()).as("modification stamp").isEqualTo(w.modifiedAt());
        }
    }

    @Test
    void batchWithAStalePreconditionFailsThatRecordAloneWithConflict() {
        requires(Capability.WRITE, Capability.BATCH_WRITE, Capability.CONDITIONAL_WRITE);
        String stale = fixture.seed(fixture.newRecordFields(1));
        String fresh = fixture.seed(fixture.newRecordFields(2));
        String staleVersion = currentVersion(stale);
        String freshVersion = currentVersion(fresh);
        fixture.advanceTime(Duration.ofSeconds(1));
        ObjectNode theirs = fixture.changedFields(1);
        fixture.modify(stale, theirs);
        ObjectNode mine = fixture.changedFields(2);
        warmUp();
        long before = apiRequests();

        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.update(fixture.entity(), stale, fixture.changedFields(3)).withPreconditions(staleVersion, null),
                WriteRequest.update(fixture.entity(), fresh, mine).withPreconditions(freshVersion, null)));

        assertThat(failure(results.get(0))).isInstanceOf(SyncException.Conflict.class);
        assertThat(written(results.get(1)).externalId()).isEqualTo(fresh);
        assertThat(fixture.fieldsOf(stale)).hasValueSatisfying(f -> assertContainsValues(f, theirs));
        assertThat(fixture.fieldsOf(fresh)).hasValueSatisfying(f -> assertContainsValues(f, mine));
        assertThat(apiRequests() - before).as("provider calls for a batch of 2").isEqualTo(1);
    }

    // ---- webhooks -------------------------------------------------------------------------------

    @Test
    void authenticWebhookIsAcceptedWithoutCallingTheProviderAndParsedIntoANotice() {
        requires(Capability.WEBHOOKS);
        String id = fixture.seed(fixture.newRecordFields(1));
        warmUp(); // the host hands out credentials only after obtaining a token; that grant is not the adapter's doing
        WebhookRequest request = fixture.webhookAnnouncing(id);
        long before = fixture.journal().totalCount();

        WebhookVerdict verdict = adapter.verifyWebhook(request);

        assertThat(verdict).isInstanceOf(WebhookVerdict.Accept.class);
        assertThat(fixture.journal().totalCount()).as("requests made while verifying").isEqualTo(before);
        WebhookPayload payload = new WebhookPayload(request.header("content-type").orElse(null), request.bodyText(),
                Map.of(), request.receivedAt());
        assertThat(adapter.parseWebhook(payload)).anySatisfy(n -> {
            assertThat(n.entity()).isEqualTo(fixture.entity());
            assertThat(n.externalId()).isEqualTo(id);
            assertThat(n.deleted()).isFalse();
        });
    }

    @Test
    void forgedWebhookIsRejected() {
        requires(Capability.WEBHOOKS);
        String id = fixture.seed(fixture.newRecordFields(1));
        WebhookVerdict verdict = adapter.verifyWebhook(fixture.forgedWebhookAnnouncing(id));
        assertThat(verdict).isInstanceOfSatisfying(WebhookVerdict.Reject.class, r -> assertThat(r.status()).isBetween(400, 499));
    }

    @Test
    void staleWebhookIsRejected() {
        requires(Capability.WEBHOOKS);
        String id = fixture.seed(fixture.newRecordFields(1));
        var stale = fixture.staleWebhookAnnouncing(id);
        assumeTrue(stale.isPresent(), "the provider's webhooks carry no timestamp");
        assertThat(adapter.verifyWebhook(stale.get())).isInstanceOf(WebhookVerdict.Reject.class);
    }

    // ---- helpers for subclasses and the tests above ---------------------------------------------

    /** Skips the test unless the adapter declares every capability. */
    protected final void requires(Capability... capabilities) {
        for (Capability c : capabilities) {
            assumeTrue(adapter.capabilities().contains(c), () -> "adapter does not declare " + c);
        }
    }

    /** The fields the contract asks for: those of {@link ProviderFixture#newRecordFields}. */
    protected final List<String> fields() {
        List<String> names = new ArrayList<>();
        fixture.newRecordFields(0).fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A first-page request for the fixture's entity. */
    protected final FetchRequest request(Watermark since, int pageSize) {
        return new FetchRequest(fixture.entity(), fields(), List.of(), since, null, null, pageSize);
    }

    /** Every page of a scan, following cursors to the end. */
    protected final List<Page> scan(FetchRequest first) {
        return follow(first, adapter::fetch);
    }

    /** Every page of a deleted-feed scan. */
    protected final List<Page> scanDeleted(FetchRequest first) {
        return follow(first, adapter::fetchDeleted);
    }

    private static List<Page> follow(FetchRequest first, java.util.function.Function<FetchRequest, Page> fetch) {
        List<Page> pages = new ArrayList<>();
        FetchRequest next = first;
        for (int i = 0; i < MAX_PAGES; i++) {
            Page page = fetch.apply(next);
            pages.add(page);
            if (page.done()) {
                return pages;
            }
            next = next.withCursor(page.nextCursor());
        }
        throw new AssertionError("scan did not finish within " + MAX_PAGES + " pages");
    }

    protected static List<ExternalRecord> records(List<Page> pages) {
        return pages.stream().flatMap(p -> p.records().stream()).toList();
    }

    protected static List<String> liveIds(List<Page> pages) {
        return records(pages).stream().filter(r -> !r.deleted()).map(ExternalRecord::id).toList();
    }

    /** Seeds {@code count} records ({@code newRecordFields(from…)}), advancing time by {@code step} after each. */
    protected final Set<String> seedMany(int count, int from, Duration step) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (int i = from; i < from + count; i++) {
            ids.add(fixture.seed(fixture.newRecordFields(i)));
            if (!step.isZero()) {
                fixture.advanceTime(step);
            }
        }
        return ids;
    }

    /** One cheap read, so the adapter holds a token and later request counts exclude the grant. */
    protected final void warmUp() {
        adapter.fetch(request(null, 1));
    }

    /** Token-endpoint requests the fake received so far: each is one refresh. */
    protected final long tokenRequests() {
        return fixture.journal().count(fixture.tokenRequests());
    }

    /** Data API requests the fake received so far. */
    protected final long apiRequests() {
        return fixture.journal().count(fixture.apiRequests());
    }

    private String currentVersion(String id) {
        ExternalRecord r = currentRecord(id);
        assertThat(r.version()).as("CONDITIONAL_WRITE adapters report versions on read records").isNotBlank();
        return r.version();
    }

    private ExternalRecord currentRecord(String id) {
        return records(scan(request(null, smallPageSize()))).stream()
                .filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("record " + id + " not found by a scan"));
    }

    private static Watermark maxWatermark(List<ExternalRecord> records) {
        return records.stream().map(ExternalRecord::watermark).max(Comparator.naturalOrder())
                .orElseThrow(() -> new AssertionError("no records with a watermark"));
    }

    private static WriteResult.Written written(WriteResult result) {
        assertThat(result).as("write result").isInstanceOf(WriteResult.Written.class);
        return (WriteResult.Written) result;
    }

    private static SyncException failure(WriteResult result) {
        assertThat(result).as("write result").isInstanceOf(WriteResult.Failed.class);
        return ((WriteResult.Failed) result).error();
    }

    /** Every field of {@code expected} is in {@code actual} with an equal value (numbers by value). */
    protected static void assertContainsValues(ObjectNode actual, ObjectNode expected) {
        Map<String, String> mismatches = new java.util.TreeMap<>();
        expected.fields().forEachRemaining(e -> {
            JsonNode a = actual.get(e.getKey());
            if (!sameValue(a, e.getValue())) {
                mismatches.put(e.getKey(), "expected " + e.getValue() + " but was " + a);
            }
        });
        assertThat(mismatches).as("fields that differ").isEmpty();
    }

    private static boolean sameValue(JsonNode actual, JsonNode expected) {
        if (actual == null) {
            return expected == null || expected.isNull();
        }
        if (actual.isNumber() && expected.isNumber()) {
            return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
        }
        return actual.equals(expected);
    }

    /** Ids of records as a set, for assertions that ignore order. */
    protected static Set<String> idsOf(List<ExternalRecord> records) {
        return records.stream().map(ExternalRecord::id).collect(Collectors.toSet());
    }
}
