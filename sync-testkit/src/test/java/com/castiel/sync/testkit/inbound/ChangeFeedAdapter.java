package com.castiel.sync.testkit.inbound;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.StoredRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An adapter over a {@link FakeRecordStore} with the capabilities a test chooses, for the scan
 * shapes {@link StoreBackedAdapter} does not have: delta scans that return changes in change
 * order (the store's version order, which differs from (stamp, id) order when stamps tie), and
 * cursors that expire.
 *
 * <p>Full scans page in (stamp, id) order with keyset cursors; delta tokens and delta cursors are
 * store versions. With {@link Capability#INCREMENTAL} it honours {@code since} on every scan,
 * delta scans included, as the SPI leaves open.
 */
final class ChangeFeedAdapter implements ProviderAdapter {

    private final FakeRecordStore store;
    private final Set<Capability> capabilities;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile int failOnFetch = -1;
    private volatile boolean cursorsExpired;

    ChangeFeedAdapter(FakeRecordStore store, Set<Capability> capabilities) {
        this.store = store;
        this.capabilities = Set.copyOf(capabilities);
    }

    /** Makes the {@code n}-th fetch from now (1-based) fail with a transient error. */
    void failOnFetch(int n) {
        failOnFetch = fetches.get() + n;
    }

    /** Every cursor issued so far is refused as expired ({@code NotFound}), once each scan. */
    void expireCursors() {
        cursorsExpired = true;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Page fetch(FetchRequest request) {
        int n = fetches.incrementAndGet();
        if (n == failOnFetch) {
            throw new SyncException.Transient(ErrorCode.CONNECTION_RESET, "injected failure on fetch " + n, SyncException.Details.NONE);
        }
        if (request.cursor() != null && cursorsExpired) {
            cursorsExpired = false;
            throw new SyncException.NotFound("cursor expired", SyncException.Details.NONE);
        }
        boolean delta = request.deltaToken() != null || (request.cursor() != null && request.cursor().startsWith("v"));
        return delta ? deltaPage(request) : fullPage(request);
    }

    /** Keyset pages; the cursor carries the store version at the scan's start, which becomes its delta token. */
    private Page fullPage(FetchRequest request) {
        Watermark after;
        long versionAtStart;
        if (request.cursor() != null) {
            String[] parts = request.cursor().split("\\|");
            after = new Watermark(Instant.parse(parts[0]), parts[1]);
            versionAtStart = Long.parseLong(parts[2]);
        } else {
            after = capabilities.contains(Capability.INCREMENTAL) ? request.since() : null;
            versionAtStart = store.version();
        }
        FakeRecordStore.Slice slice = store.scan(request.entity(), after, request.pageSize(), FakeRecordStore.Visibility.LIVE);
        List<ExternalRecord> records = slice.records().stream().map(StoreBackedAdapter::toExternal).toList();
        if (slice.hasMore()) {
            return new Page(records, slice.last().stamp() + "|" + slice.last().id() + "|" + versionAtStart, null);
        }
        return new Page(records, null, capabilities.contains(Capability.DELTA) ? "v" + versionAtStart : null);
    }

    private Page deltaPage(FetchRequest request) {
        String position = request.cursor() != null ? request.cursor() : request.deltaToken();
        long afterVersion = Long.parseLong(position.substring(1));
        FakeRecordStore.Slice slice = store.changesAfter(request.entity(), afterVersion, request.pageSize());
        List<ExternalRecord> records = new ArrayList<>();
        long last = afterVersion;
        for (StoredRecord r : slice.records()) {
            last = r.version();
            ExternalRecord e = StoreBackedAdapter.toExternal(r);
            boolean afterSince = request.since() == null || !capabilities.contains(Capability.INCREMENTAL)
                    || e.watermark().compareTo(request.since()) > 0;
            if (afterSince) {
                records.add(e);
            }
        }
        return slice.hasMore() ? new Page(records, "v" + last, null) : new Page(records, null, "v" + Math.max(last, slice.storeVersion()));
    }

}
