package com.castiel.sync.testkit.inbound;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * An adapter reading a {@link FakeRecordStore} directly, without HTTP, so pipeline tests can put a
 * fault or an external change at an exact point between pages. Keyset cursors ({@code stamp|id})
 * like a provider that pages by modification order.
 */
final class StoreBackedAdapter implements ProviderAdapter {

    private final FakeRecordStore store;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile int failOnFetch = -1;
    private volatile IntConsumer beforeFetch = n -> { };
    private volatile boolean deleteFeedPurged;

    StoreBackedAdapter(FakeRecordStore store) {
        this.store = store;
    }

    /** Makes the {@code n}-th fetch from now (1-based) fail with a transient error. */
    void failOnFetch(int n) {
        failOnFetch = fetches.get() + n;
    }

    /** Runs {@code hook} with the fetch number before every fetch (to change data mid-scan). */
    void beforeFetch(IntConsumer hook) {
        beforeFetch = hook;
    }

    void purgeDeleteFeed() {
        deleteFeedPurged = true;
    }

    int fetchCount() {
        return fetches.get();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.READ, Capability.INCREMENTAL, Capability.DELETED_FEED, Capability.FETCH_BY_IDS, Capability.WEBHOOKS);
    }

    @Override
    public Page fetch(FetchRequest request) {
        return scan(request, FakeRecordStore.Visibility.LIVE);
    }

    @Override
    public Page fetchDeleted(FetchRequest request) {
        boolean sinceTooOld = request.since() != null && store.purgedBefore(request.entity())
                .filter(horizon -> request.since().stamp().isBefore(horizon)).isPresent();
        if (deleteFeedPurged || sinceTooOld) {
            throw new SyncException.Validation("delete log purged", null, SyncException.Details.NONE);
        }
        return scan(request, FakeRecordStore.Visibility.DELETED);
    }

    private Page scan(FetchRequest request, FakeRecordStore.Visibility visibility) {
        int n = fetches.incrementAndGet();
        beforeFetch.accept(n);
        if (n == failOnFetch) {
            throw new SyncException.Transient(ErrorCode.CONNECTION_RESET, "injected failure on fetch " + n, SyncException.Details.NONE);
        }
        Watermark after = request.cursor() != null ? decode(request.cursor()) : request.since();
        FakeRecordStore.Slice slice = store.scan(request.entity(), after, request.pageSize(), visibility);
        List<ExternalRecord> records = new ArrayList<>();
        for (StoredRecord r : slice.records()) {
            records.add(toExternal(r));
        }
        String next = slice.hasMore() ? encode(slice.last()) : null;
        return new Page(records, next, null);
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        List<ExternalRecord> out = new ArrayList<>();
        for (String id : ids) {
            store.get(entity, id).ifPresent(r -> out.add(toExternal(r)));
        }
        return out;
    }

    /** Payload: {@code {"changes":[{"entity":..,"id":..,"deleted":bool,"fields":{..}?}]}}. */
    @Override
    public List<ChangeNotice> parseWebhook(WebhookPayload payload) {
        JsonNode root = SyncJson.tree(payload.body());
        List<ChangeNotice> notices = new ArrayList<>();
        for (JsonNode c : root.path("changes")) {
            String entity = c.path("entity").asText();
            String id = c.path("id").asText();
            ExternalRecord record = null;
            Instant at = c.hasNonNull("modifiedAt") ? Instant.parse(c.get("modifiedAt").asText()) : null;
            if (c.has("fields")) {
                record = ExternalRecord.of(entity, id, (com.fasterxml.jackson.databind.node.ObjectNode) c.get("fields"), at, null);
            }
            notices.add(new ChangeNotice(entity, id, c.path("deleted").asBoolean(), record, at, null));
        }
        return notices;
    }

    static ExternalRecord toExternal(StoredRecord r) {
        return r.deleted()
                ? ExternalRecord.tombstone(r.entity(), r.id(), r.modifiedAt())
                : ExternalRecord.of(r.entity(), r.id(), r.fields(), r.modifiedAt(), r.etag());
    }

    private static String encode(Watermark w) {
        return w.stamp() + "|" + w.id();
    }

    private static Watermark decode(String cursor) {
        int bar = cursor.indexOf('|');
        return new Watermark(Instant.parse(cursor.substring(0, bar)), cursor.substring(bar + 1));
    }
}
