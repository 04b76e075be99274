package com.castiel.sync.spi;

import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.Watermark;
import java.util.List;
import java.util.Objects;

/**
 * One page request. The engine passes back exactly the {@link Page#nextCursor()} it received;
 * everything else stays the same for every page of one scan.
 *
 * @param entity provider entity name
 * @param fields external fields to read (mapped inbound fields); the adapter adds the id and
 *     modification stamp it needs
 * @param filters the integration's pull filters for this entity
 * @param since lower bound, exclusive, in (stamp, id) order; {@code null} means from the
 *     beginning. The engine already subtracted its overlap window. Only honoured by adapters
 *     declaring {@link Capability#INCREMENTAL}; always {@code null} when {@code deltaToken} is set
 *     (a delta scan is positioned by its token and cursor alone).
 * @param cursor opaque cursor from the previous page, {@code null} for the first page
 * @param deltaToken opaque delta token from a previous scan, for {@link Capability#DELTA}
 *     adapters; {@code null} means start a new delta scan
 * @param pageSize preferred records per page; adapters may return fewer (providers decide) but
 *     never more than the provider's own maximum
 */
public record FetchRequest(
        String entity,
        List<String> fields,
        List<PullFilter> filters,
        Watermark since,
        String cursor,
        String deltaToken,
        int pageSize) {

    public FetchRequest {
        Objects.requireNonNull(entity, "entity");
        fields = fields == null ? List.of() : List.copyOf(fields);
        filters = filters == null ? List.of() : List.copyOf(filters);
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }

    /** The same request for the page after {@code next}. */
    public FetchRequest withCursor(String next) {
        return new FetchRequest(entity, fields, filters, since, next, deltaToken, pageSize);
    }

    public FetchRequest withSince(Watermark newSince) {
        return new FetchRequest(entity, fields, filters, newSince, cursor, deltaToken, pageSize);
    }
}
