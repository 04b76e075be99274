package com.castiel.sync.spi;

import com.castiel.sync.model.ExternalRecord;
import java.util.List;

/**
 * One page of records.
 *
 * <p>For {@link Capability#INCREMENTAL} adapters, records of a scan started without a delta
 * token are in ascending (modification stamp, id) order across the whole scan. Delta scans
 * ({@link Capability#DELTA}, started from a delta token) return changes in the provider's change
 * order, which the engine does not rely on. Records with {@code deleted = true} are tombstones. An empty
 * page with a cursor is legal (the provider may return empty intermediate pages).
 *
 * @param records the records, at most the provider's page maximum
 * @param nextCursor cursor for the next page; {@code null} when the scan is complete
 * @param deltaToken on the last page of a {@link Capability#DELTA} scan, the token to start the
 *     next delta scan from; {@code null} otherwise
 */
public record Page(List<ExternalRecord> records, String nextCursor, String deltaToken) {

    public Page {
        records = records == null ? List.of() : List.copyOf(records);
    }

    public static Page last(List<ExternalRecord> records) {
        return new Page(records, null, null);
    }

    public static Page of(List<ExternalRecord> records, String nextCursor) {
        return new Page(records, nextCursor, null);
    }

    /** True when no further page exists. */
    public boolean done() {
        return nextCursor == null;
    }
}
