package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of the {@code query}/{@code queryAll} resources:
 * {@code {"totalSize","done","nextRecordsUrl","records":[{"attributes":{…},…}]}}.
 *
 * @param totalSize rows the whole query matches
 * @param done true on the last batch
 * @param nextRecordsUrl the path of the next batch, {@code null} when done
 * @param rows the records as sent, {@code attributes} included
 */
record QueryResult(long totalSize, boolean done, String nextRecordsUrl, List<ObjectNode> rows) {

    QueryResult {
        rows = List.copyOf(rows);
    }

    /**
     * Reads a query answer.
     *
     * @throws SyncException.Transient when the answer lacks {@code done} or {@code records}, or
     *     says more follows without a {@code nextRecordsUrl}
     */
    static QueryResult parse(JsonNode body) {
        JsonNode records = body.get("records");
        JsonNode done = body.get("done");
        if (records == null || !records.isArray() || done == null || !done.isBoolean()) {
            throw malformed("a query answer without records or done");
        }
        String next = body.hasNonNull("nextRecordsUrl") ? body.get("nextRecordsUrl").asText() : null;
        if (!done.booleanValue() && next == null) {
            throw malformed("a query answer that is not done but has no nextRecordsUrl");
        }
        List<ObjectNode> rows = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            if (!r.isObject()) {
                throw malformed("a query answer whose records are not objects");
            }
            rows.add((ObjectNode) r);
        }
        return new QueryResult(body.path("totalSize").asLong(rows.size()), done.booleanValue(), done.booleanValue() ? null : next, rows);
    }

    /**
     * The rows as records of {@code entity}: ids normalised to 18 characters, {@code attributes}
     * removed (also from related records), {@code SystemModstamp} as modification time and
     * version; rows with {@code IsDeleted = true} become tombstones. Hands the rows over to the
     * records (call once).
     *
     * @throws SyncException.Validation when a row has no usable {@code Id}
     */
    List<ExternalRecord> records(String entity) {
        List<ExternalRecord> out = new ArrayList<>(rows.size());
        for (ObjectNode row : rows) {
            out.add(record(entity, row));
        }
        return out;
    }

    static ExternalRecord record(String entity, ObjectNode row) {
        Objects.requireNonNull(entity, "entity");
        JsonNode rawId = row.get("Id");
        String id = rawId == null || rawId.isNull() ? null : SalesforceId.normalise(rawId.asText()).orElse(null);
        if (id == null) {
            throw new SyncException.Validation("a " + entity + " row of the query answer has no valid Id", "Id",
                    SyncException.Details.of(SalesforceSettings.PROVIDER, 200, null));
        }
        Instant stamp = row.hasNonNull("SystemModstamp") ? SalesforceDates.parse(row.get("SystemModstamp").asText()).orElse(null) : null;
        if (row.path("IsDeleted").asBoolean(false)) {
            return ExternalRecord.tombstone(entity, id, stamp);
        }
        // the row belongs to this answer alone, so it becomes the record's fields without a copy
        ObjectNode fields = row;
        stripAttributes(fields);
        fields.put("Id", id);
        return ExternalRecord.of(entity, id, fields, stamp, stamp == null ? null : stamp.toString());
    }

    private static void stripAttributes(ObjectNode node) {
        node.remove("attributes");
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode child = e.getValue();
            if (child.isObject()) {
                stripAttributes((ObjectNode) child);
            }
        }
    }

    private static SyncException.Transient malformed(String what) {
        return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "Salesforce sent " + what,
                null, SyncException.Details.of(SalesforceSettings.PROVIDER, 200, null), null);
    }
}
