package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpReply;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.SyncException;
import java.util.List;
import java.util.Map;

/**
 * Pages through SOQL results: the first batch from {@code query} (or {@code queryAll}) with
 * {@code Sforce-Query-Options: batchSize=} (Salesforce's range 200–2,000), the following ones
 * from the {@code nextRecordsUrl} of the previous batch, which is the opaque cursor handed to
 * the engine. Thread-safe.
 */
final class QueryPages {

    private final SalesforceApi api;

    QueryPages(SalesforceApi api) {
        this.api = api;
    }

    /**
     * Runs a query and returns its first page.
     *
     * @throws SyncException.Configuration when Salesforce refuses the query (unknown object or
     *     field, malformed filter) or the API version does not exist
     */
    Page first(String entity, String soql, int pageSize, boolean includeDeleted) {
        int batch = Math.max(200, Math.min(2000, pageSize));
        HttpReply reply;
        try {
            reply = api.get(api.uri((includeDeleted ? "/queryAll" : "/query") + "?q=" + SalesforceApi.encode(soql)),
                    Map.of("sforce-query-options", "batchSize=" + batch));
        } catch (SyncException.Validation | SyncException.NotFound refused) {
            throw new SyncException.Configuration(entity + " cannot be queried: " + refused.getMessage(),
                    SyncException.Details.of(SalesforceSettings.PROVIDER, refused.httpStatus(), refused.providerCode()));
        }
        return page(entity, reply);
    }

    /**
     * Returns the page a cursor names.
     *
     * @throws SyncException.NotFound when the query locator expired
     */
    Page next(String entity, String cursor) {
        return page(entity, api.get(api.absolute(cursor), Map.of()));
    }

    /** All records of a query, following every {@code nextRecordsUrl}. */
    List<ExternalRecord> all(String entity, String soql) {
        Page page = first(entity, soql, 2000, false);
        List<ExternalRecord> out = new java.util.ArrayList<>(page.records());
        while (!page.done()) {
            page = next(entity, page.nextCursor());
            out.addAll(page.records());
        }
        return out;
    }

    private static Page page(String entity, HttpReply reply) {
        QueryResult result = QueryResult.parse(SalesforceApi.json(reply, "a query of " + entity));
        return Page.of(result.records(entity), result.nextRecordsUrl());
    }
}
