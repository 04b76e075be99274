package com.castiel.sync.testkit.outbound;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.StoredRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An in-process adapter over a {@link FakeRecordStore}, for write-back tests that need many
 * rounds and precise control without HTTP: stateful (the store stamps and versions every change),
 * with preconditions, per-record or all-or-none batches, scripted exchange failures, and a journal
 * of every provider call.
 *
 * <p>Validation, as a provider would: a field in {@code required} may not be missing on create or
 * null, and the text {@value #INVALID} is refused in any field. Versions are the store's etags.
 *
 * <p>Thread-safe.
 */
final class RecordStoreAdapter implements ProviderAdapter {

    /** A value the provider refuses, naming the field. */
    static final String INVALID = "INVALID";

    /** How a batch with a refused record behaves. */
    enum BatchMode {
        /** Each record succeeds or fails alone (Reference, Dataverse without change sets). */
        PER_RECORD,
        /** One refused record refuses the whole call and nothing is applied (Salesforce allOrNone). */
        ALL_OR_NONE
    }

    /**
     * One provider call.
     *
     * @param kind {@code write}, {@code batch} or {@code fetchByIds}
     * @param requests the writes it carried (empty for reads)
     * @param ids the ids it read (empty for writes)
     * @param failed true when the call as a whole failed
     * @param results the per-record results of a write call that did not fail as a whole, in
     *     request order; empty otherwise
     */
    record Call(String kind, List<WriteRequest> requests, List<String> ids, boolean failed, List<WriteResult> results) {
        Call(String kind, List<WriteRequest> requests, List<String> ids, boolean failed) {
            this(kind, requests, ids, failed, List.of());
        }
    }

    private final FakeRecordStore store;
    private final Set<Capability> capabilities;
    private final int maxBatchSize;
    private final Set<String> required;
    private volatile BatchMode batchMode = BatchMode.PER_RECORD;
    private final Deque<SyncException> exchangeFailures = new ArrayDeque<>();
    private final Deque<Runnable> beforeWrites = new ArrayDeque<>();
    private final List<Call> journal = new ArrayList<>();

    RecordStoreAdapter(FakeRecordStore store, Set<Capability> capabilities, int maxBatchSize, Set<String> required) {
        this.store = Objects.requireNonNull(store, "store");
        this.capabilities = Set.copyOf(capabilities);
        this.maxBatchSize = maxBatchSize;
        this.required = Set.copyOf(required);
    }

    static Set<Capability> everything() {
        return EnumSet.of(Capability.READ, Capability.INCREMENTAL, Capability.FETCH_BY_IDS, Capability.WRITE, Capability.BATCH_WRITE,
                Capability.CONDITIONAL_WRITE, Capability.UPSERT);
    }

    void batchMode(BatchMode mode) {
        this.batchMode = mode;
    }

    /** Fails the next write calls (single or batch) as a whole with these errors, in order. */
    synchronized void failNextWrites(SyncException... errors) {
        exchangeFailures.addAll(List.of(errors));
    }

    /** Runs {@code change} (someone editing in the provider) just before the next write call arrives. */
    synchronized void beforeNextWrite(Runnable change) {
        beforeWrites.add(change);
    }

    synchronized List<Call> journal() {
        return List.copyOf(journal);
    }

    /** The write calls (single and batch) that reached the provider, in order. */
    synchronized List<Call> writeCalls() {
        return journal.stream().filter(c -> !c.kind().equals("fetchByIds")).toList();
    }

    /** Every write request that reached the provider, in call order. */
    synchronized List<WriteRequest> writes() {
        return writeCalls().stream().flatMap(c -> c.requests().stream()).toList();
    }

    synchronized void clearJournal() {
        journal.clear();
    }

    FakeRecordStore store() {
        return store;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public Page fetch(FetchRequest request) {
        Watermark after = request.cursor() != null ? decode(request.cursor()) : request.since();
        FakeRecordStore.Slice slice = store.scan(request.entity(), after, request.pageSize(), FakeRecordStore.Visibility.LIVE);
        List<ExternalRecord> records = slice.records().stream().map(RecordStoreAdapter::toRecord).toList();
        return Page.of(records, slice.hasMore() ? encode(slice.last()) : null);
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        require(Capability.FETCH_BY_IDS);
        synchronized (this) {
            journal.add(new Call("fetchByIds", List.of(), List.copyOf(ids), false));
        }
        List<ExternalRecord> found = new ArrayList<>();
        for (String id : ids) {
            store.get(entity, id).map(RecordStoreAdapter::toRecord).ifPresent(found::add);
        }
        return found;
    }

    @Override
    public WriteResult write(WriteRequest request) {
        require(Capability.WRITE);
        SyncException failure = nextFailure(List.of(request), "write");
        if (failure != null) {
            throw failure;
        }
        WriteResult result = apply(request);
        recordResults(List.of(result));
        return result;
    }

    @Override
    public List<WriteResult> writeBatch(List<WriteRequest> requests) {
        require(Capability.BATCH_WRITE);
        if (requests.size() > maxBatchSize) {
            throw new SyncException.Validation("at most " + maxBatchSize + " records per batch, got " + requests.size(), null,
                    SyncException.Details.NONE);
        }
        SyncException failure = nextFailure(requests, "batch");
        if (failure != null) {
            throw failure;
        }
        if (batchMode == BatchMode.ALL_OR_NONE) {
            for (int i = 0; i < requests.size(); i++) {
                Optional<String> bad = invalidField(requests.get(i));
                if (bad.isPresent()) {
                    synchronized (this) {
                        journal.set(journal.size() - 1, new Call("batch", List.copyOf(requests), List.of(), true));
                    }
                    throw new SyncException.Validation("record " + i + " of the batch is invalid (" + bad.get() + "); nothing was applied",
                            bad.get(), SyncException.Details.NONE);
                }
            }
        }
        List<WriteResult> results = new ArrayList<>(requests.size());
        for (WriteRequest r : requests) {
            results.add(apply(r));
        }
        recordResults(results);
        return results;
    }

    private synchronized void recordResults(List<WriteResult> results) {
        Call last = journal.get(journal.size() - 1);
        journal.set(journal.size() - 1, new Call(last.kind(), last.requests(), last.ids(), false, List.copyOf(results)));
    }

    private SyncException nextFailure(List<WriteRequest> requests, String kind) {
        Runnable before;
        synchronized (this) {
            before = beforeWrites.poll();
        }
        if (before != null) {
            before.run();
        }
        return recordCall(requests, kind);
    }

    private synchronized SyncException recordCall(List<WriteRequest> requests, String kind) {
        SyncException failure = exchangeFailures.poll();
        journal.add(new Call(kind, List.copyOf(requests), List.of(), failure != null));
        return failure;
    }

    private WriteResult apply(WriteRequest r) {
        Optional<String> bad = invalidField(r);
        if (bad.isPresent()) {
            return new WriteResult.Failed(new SyncException.Validation(bad.get() + ": refused by the provider", bad.get(), SyncException.Details.NONE));
        }
        if ((r.ifMatch() != null || r.ifUnmodifiedSince() != null) && !capabilities.contains(Capability.CONDITIONAL_WRITE)) {
            throw new IllegalStateException("a precondition was sent to an adapter without CONDITIONAL_WRITE");
        }
        Predicate<StoredRecord> precondition = rec -> (r.ifMatch() == null || r.ifMatch().equals(rec.etag()))
                && (r.ifUnmodifiedSince() == null || !rec.modifiedAt().isAfter(r.ifUnmodifiedSince()));
        try {
            return switch (r.kind()) {
                case CREATE -> written(store.create(r.entity(), r.fields()), true);
                case UPDATE -> written(store.updateIf(r.entity(), r.externalId(), r.fields(), precondition), false);
                case DELETE -> {
                    store.deleteIf(r.entity(), r.externalId(), precondition);
                    yield new WriteResult.Written(r.externalId(), null, null, false);
                }
                case UPSERT -> {
                    List<StoredRecord> found = store.find(r.entity(), rec -> r.upsertValue().equals(text(rec.fields().get(r.upsertField()))));
                    if (found.isEmpty()) {
                        ObjectNode withKey = r.fields().deepCopy().put(r.upsertField(), r.upsertValue());
                        yield written(store.create(r.entity(), withKey), true);
                    }
                    yield written(store.updateIf(r.entity(), found.get(0).id(), r.fields(), precondition), false);
                }
            };
        } catch (FakeRecordStore.NoSuchRecord e) {
            return new WriteResult.Failed(new SyncException.NotFound(e.getMessage(), SyncException.Details.NONE));
        } catch (FakeRecordStore.PreconditionFailed e) {
            return new WriteResult.Failed(new SyncException.Conflict(e.getMessage(), SyncException.Details.NONE));
        }
    }

    private Optional<String> invalidField(WriteRequest r) {
        if (r.kind() == WriteKind.DELETE) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> e : r.fields().properties()) {
            if (e.getValue().isTextual() && INVALID.equals(e.getValue().asText())) {
                return Optional.of(e.getKey());
            }
            if (e.getValue().isNull() && required.contains(e.getKey())) {
                return Optional.of(e.getKey());
            }
        }
        if (r.kind() == WriteKind.CREATE) {
            for (String f : required) {
                if (!r.fields().hasNonNull(f)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    private static WriteResult.Written written(StoredRecord rec, boolean created) {
        return new WriteResult.Written(rec.id(), rec.etag(), rec.modifiedAt(), created);
    }

    static ExternalRecord toRecord(StoredRecord rec) {
        return ExternalRecord.of(rec.entity(), rec.id(), rec.fields(), rec.modifiedAt(), rec.etag());
    }

    private void require(Capability c) {
        if (!capabilities.contains(c)) {
            throw new SyncException.Configuration("this adapter does not support " + c);
        }
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String encode(Watermark w) {
        return w.stamp() + "|" + w.id();
    }

    private static Watermark decode(String cursor) {
        int bar = cursor.indexOf('|');
        return new Watermark(Instant.parse(cursor.substring(0, bar)), cursor.substring(bar + 1));
    }
}
