package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.Watermark;
import com.castiel.sync.testkit.fake.FakeRecordStore;
import com.castiel.sync.testkit.fake.StoredRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs queries and keeps their server-side cursors ("query locators"), as the {@code query} and
 * {@code queryAll} resources do.
 *
 * <p><b>Paging.</b> A query answers its first batch and, when more rows match, a
 * {@code nextRecordsUrl} of the form {@code /services/data/vXX.X/query/01g…-2000} (locator and
 * row offset). Batches hold {@code Sforce-Query-Options: batchSize} rows of the first request
 * (200 to 2,000, default 2,000). A cursor remembers where each batch it handed out continues, so
 * asking for the same {@code nextRecordsUrl} again (a retried request) answers the same position
 * rather than skipping a batch. The cursor walks the live store in (SystemModstamp, Id) order: a
 * record changed during paging moves behind the cursor and is returned again later, none is
 * skipped. {@code totalSize} is counted when the query starts.
 *
 * <p><b>Locators expire</b> after {@link #idleTimeout} without use (15 minutes by default), when
 * more than {@link #maxOpenCursors} are open (the least recently used goes first; 10 by default,
 * Salesforce's per-user limit), on {@link #expireAll()}, and once their last batch was
 * answered. Using an expired locator answers 400 {@code INVALID_QUERY_LOCATOR}.
 *
 * <p><b>Cost.</b> A query with a {@code SystemModstamp} lower bound starts its scan there; one
 * naming its ids ({@code Id IN (…)}) looks them up; otherwise it scans from the beginning. Each
 * batch costs the rows it passes over, never the whole table. Thread-safe.
 */
final class QueryEngine {

    static final int DEFAULT_BATCH = 2000;
    static final int MIN_BATCH = 200;
    static final int MAX_BATCH = 2000;

    private final SObjectStore store;
    private final Clock clock;
    private final LinkedHashMap<String, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true);
    private long locatorSequence;
    private int maxOpenCursors = 10;
    private Duration idleTimeout = Duration.ofMinutes(15);

    QueryEngine(SObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    synchronized void maxOpenCursors(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxOpenCursors must be positive");
        }
        this.maxOpenCursors = max;
    }

    synchronized void idleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        this.idleTimeout = timeout;
    }

    /** Invalidates every open locator. */
    synchronized void expireAll() {
        cursors.clear();
    }

    synchronized int openCursors() {
        dropIdle();
        return cursors.size();
    }

    /**
     * Starts a query and answers its first batch.
     *
     * @param includeDeleted {@code queryAll}: deleted records still in the Recycle Bin match too
     * @param batchSize the requested batch size, or {@code null} for the default
     * @throws SalesforceError for queries outside the subset or against the schema
     */
    byte[] start(String soql, boolean includeDeleted, Integer batchSize, String apiVersion) {
        SoqlQuery query = SoqlParser.parse(soql, store::type);
        int batch = batchSize == null ? DEFAULT_BATCH : Math.max(MIN_BATCH, Math.min(MAX_BATCH, batchSize));
        Optional<Set<String>> ids = query.where() == null ? Optional.empty() : SoqlCondition.idSet(query.where());
        Cursor cursor;
        if (ids.isPresent()) {
            List<String> matching = lookUp(query, includeDeleted, ids.get());
            cursor = new Cursor(query, includeDeleted, batch, cap(query, matching.size()), null, matching);
        } else {
            Watermark from = query.where() == null ? null
                    : SoqlCondition.stampLowerBound(query.where()).map(s -> new Watermark(s, "")).orElse(null);
            cursor = new Cursor(query, includeDeleted, batch, cap(query, count(query, includeDeleted, from)), from, null);
        }
        cursor.positions.put(0, new Position(cursor.from, 0));
        return page(cursor, 0, apiVersion, true);
    }

    /**
     * Answers the batch a {@code nextRecordsUrl} names.
     *
     * @param locatorAndOffset the last path segment, {@code 01g…-2000}
     * @throws SalesforceError 400 {@code INVALID_QUERY_LOCATOR} when it expired or never existed
     */
    byte[] more(String locatorAndOffset, String apiVersion) {
        int dash = locatorAndOffset.lastIndexOf('-');
        if (dash <= 0) {
            throw invalidLocator();
        }
        String locator = locatorAndOffset.substring(0, dash);
        int offset;
        try {
            offset = Integer.parseInt(locatorAndOffset.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw invalidLocator();
        }
        Cursor cursor;
        synchronized (this) {
            dropIdle();
            cursor = cursors.get(locator);
            if (cursor == null) {
                throw invalidLocator();
            }
            cursor.lastUsed = clock.instant();
        }
        return page(cursor, offset, apiVersion, false);
    }

    private byte[] page(Cursor cursor, int offset, String apiVersion, boolean first) {
        List<SObjectRow> rows;
        boolean more;
        synchronized (cursor) {
            Position at = cursor.positions.get(offset);
            if (at == null) {
                throw invalidLocator();
            }
            Integer limit = cursor.query.limit();
            int want = limit == null ? cursor.batchSize : Math.min(cursor.batchSize, limit - at.returned());
            boolean lastAllowed = limit != null && at.returned() + want >= limit;
            rows = new ArrayList<>(Math.max(0, want));
            more = cursor.idPlan != null ? fromIds(cursor, at, want, rows) : fromScan(cursor, at, want, rows);
            more = more && !lastAllowed;
            if (more) {
                Watermark last = rows.get(rows.size() - 1).record().watermark();
                cursor.positions.put(offset + rows.size(), new Position(last, at.returned() + rows.size()));
            }
        }
        String next = null;
        synchronized (this) {
            if (more) {
                if (cursor.locator == null) {
                    cursor.locator = SalesforceIds.issue("01g", ++locatorSequence);
                    cursor.lastUsed = clock.instant();
                    cursors.put(cursor.locator, cursor);
                    dropIdle();
                    while (cursors.size() > maxOpenCursors) {
                        Iterator<String> eldest = cursors.keySet().iterator();
                        eldest.next();
                        eldest.remove();
                    }
                }
                next = "/services/data/" + apiVersion + "/query/" + cursor.locator + "-" + (offset + rows.size());
            } else if (!first && cursor.locator != null) {
                cursors.remove(cursor.locator);
            }
        }
        return QueryPageWriter.write(cursor.totalSize, !more, next, rows, cursor.query.select(), apiVersion);
    }

    /** Fills {@code rows} with up to {@code want} matches after the position; true when another match follows. */
    private boolean fromScan(Cursor cursor, Position at, int want, List<SObjectRow> rows) {
        SObjectType type = cursor.query.type();
        FakeRecordStore.Visibility visibility = cursor.includeDeleted ? FakeRecordStore.Visibility.ALL : FakeRecordStore.Visibility.LIVE;
        int chunk = Math.max(256, want + 1);
        Watermark after = at.after();
        while (true) {
            FakeRecordStore.Slice slice = store.records().scan(type.name(), after, chunk, visibility);
            for (StoredRecord r : slice.records()) {
                after = r.watermark();
                SObjectRow row = visibleRow(type, r);
                if (row == null || !cursor.query.matches(row)) {
                    continue;
                }
                if (rows.size() == want) {
                    return true;
                }
                rows.add(row);
            }
            if (!slice.hasMore()) {
                return false;
            }
        }
    }

    private boolean fromIds(Cursor cursor, Position at, int want, List<SObjectRow> rows) {
        SObjectType type = cursor.query.type();
        int index = at.returned();
        while (index < cursor.idPlan.size()) {
            String id = cursor.idPlan.get(index);
            Optional<StoredRecord> r = cursor.includeDeleted ? store.any(type, id) : store.live(type, id);
            SObjectRow row = r.map(rec -> visibleRow(type, rec)).orElse(null);
            if (row != null && cursor.query.matches(row)) {
                if (rows.size() == want) {
                    return true;
                }
                rows.add(row);
            }
            index++;
        }
        return false;
    }

    private List<String> lookUp(SoqlQuery query, boolean includeDeleted, Set<String> ids) {
        SObjectType type = query.type();
        List<SObjectRow> found = new ArrayList<>();
        for (String id : ids) {
            Optional<StoredRecord> r = includeDeleted ? store.any(type, id) : store.live(type, id);
            SObjectRow row = r.map(rec -> visibleRow(type, rec)).orElse(null);
            if (row != null && query.matches(row)) {
                found.add(row);
            }
        }
        found.sort(Comparator.comparing(row -> row.record().watermark()));
        return found.stream().map(row -> row.record().id()).toList();
    }

    private int count(SoqlQuery query, boolean includeDeleted, Watermark from) {
        SObjectType type = query.type();
        FakeRecordStore.Visibility visibility = includeDeleted ? FakeRecordStore.Visibility.ALL : FakeRecordStore.Visibility.LIVE;
        int n = 0;
        Watermark after = from;
        while (true) {
            FakeRecordStore.Slice slice = store.records().scan(type.name(), after, 4096, visibility);
            for (StoredRecord r : slice.records()) {
                after = r.watermark();
                SObjectRow row = visibleRow(type, r);
                if (row != null && query.matches(row)) {
                    n++;
                }
            }
            if (!slice.hasMore()) {
                return n;
            }
        }
    }

    /** A row for a stored record, or {@code null} for a deleted record no longer in the Recycle Bin. */
    private SObjectRow visibleRow(SObjectType type, StoredRecord r) {
        if (r.deleted() && !store.inRecycleBin(r)) {
            return null;
        }
        return new SObjectRow(store, type, r);
    }

    private static int cap(SoqlQuery query, int matching) {
        return query.limit() == null ? matching : Math.min(matching, query.limit());
    }

    private void dropIdle() {
        Instant horizon = clock.instant().minus(idleTimeout);
        cursors.values().removeIf(c -> c.lastUsed.isBefore(horizon));
    }

    private static SalesforceError invalidLocator() {
        return new SalesforceError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    /** Where a batch continues: after this (stamp, id), with this many rows already returned. */
    private record Position(Watermark after, int returned) {
    }

    private static final class Cursor {
        final SoqlQuery query;
        final boolean includeDeleted;
        final int batchSize;
        final int totalSize;
        final Watermark from;
        final List<String> idPlan;
        final Map<Integer, Position> positions = new HashMap<>();
        String locator;
        Instant lastUsed;

        Cursor(SoqlQuery query, boolean includeDeleted, int batchSize, int totalSize, Watermark from, List<String> idPlan) {
            this.query = query;
            this.includeDeleted = includeDeleted;
            this.batchSize = batchSize;
            this.totalSize = totalSize;
            this.from = from;
            this.idPlan = idPlan;
        }
    }
}
