package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpReply;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Writes records: one at a time through the sObject resources, in batches through sObject
 * Collections.
 *
 * <p><b>Single records.</b> Create {@code POST /sobjects/{type}} (201 with the new id); update
 * {@code PATCH /sobjects/{type}/{id}} (204); delete {@code DELETE /sobjects/{type}/{id}} (204);
 * upsert {@code PATCH /sobjects/{type}/{field}/{value}} (201 created, 200 updated, 300 several
 * matches). Preconditions become {@code If-Unmodified-Since}; a version this adapter handed out
 * (the record's {@code SystemModstamp}) given as {@code ifMatch} is sent the same way, since
 * Salesforce supports ETags on Account rows only. Salesforce does not evaluate conditional
 * headers on DELETE, so a conditional delete reads {@code LastModifiedDate} first (a
 * read-then-delete race window remains).
 *
 * <p><b>Batches</b> ({@code /composite/sobjects}, {@code allOrNone=false}, at most 200 records,
 * one type per call): creates, updates and deletes, and upserts per type and external-id field,
 * for runs of consecutive requests, so the batch is applied in request order. Writes with
 * preconditions go one at a time; upsert values containing {@code /} (which cannot travel in the
 * upsert URL) go in a collection body. A refused record fails alone; when a whole call fails,
 * its records fail with that error — unless nothing was written yet, then it is thrown.
 *
 * <p>Thread-safe.
 */
final class RecordWriter {

    static final int MAX_COLLECTION = 200;

    private final SalesforceApi api;

    RecordWriter(SalesforceApi api) {
        this.api = api;
    }

    /** Writes one record; per-record refusals are returned, failures of the exchange thrown. */
    WriteResult write(WriteRequest request) {
        try {
            String entity = SoqlBuilder.entity(request.entity());
            Optional<Instant> unmodifiedSince = precondition(request);
            if (request.kind() == WriteKind.UPSERT && request.upsertValue().contains("/")) {
                // a '/' cannot travel in the upsert URL, so the value goes in a collection body instead
                if (unmodifiedSince.isPresent()) {
                    throw new SyncException.Validation("an upsert by a value containing '/' cannot carry a precondition: "
                            + "Salesforce takes such values only in sObject Collections, which have no conditional headers",
                            request.upsertField(), SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
                }
                return upsertBatch(entity, request.upsertField(), List.of(request)).get(0);
            }
            return switch (request.kind()) {
                case CREATE -> create(entity, request);
                case UPDATE -> update(entity, request, unmodifiedSince);
                case DELETE -> delete(entity, request, unmodifiedSince);
                case UPSERT -> upsert(entity, request, unmodifiedSince);
            };
        } catch (SyncException.Validation | SyncException.NotFound | SyncException.Conflict e) {
            return new WriteResult.Failed(e);
        }
    }

    /**
     * Writes records in request order with as few calls as possible: each run of consecutive
     * requests of the same kind, type (and upsert field) without preconditions becomes collection
     * calls of up to 200 records, so a record written twice in one batch is written in order.
     * One result per request, in order.
     */
    List<WriteResult> writeBatch(List<WriteRequest> requests) {
        WriteResult[] results = new WriteResult[requests.size()];
        boolean[] anyWritten = {false};
        List<Integer> run = new ArrayList<>();
        String runKey = null;
        for (int i = 0; i < requests.size(); i++) {
            WriteRequest r = requests.get(i);
            Optional<String> key = batchKey(r);
            if (key.isEmpty() || !key.get().equals(runKey) || run.size() == MAX_COLLECTION) {
                flush(requests, run, results, anyWritten);
                run.clear();
                runKey = key.orElse(null);
            }
            if (key.isPresent()) {
                run.add(i);
                continue;
            }
            try {
                results[i] = write(r);
            } catch (SyncException failure) {
                if (!anyWritten[0] || failure instanceof SyncException.Configuration) {
                    throw failure;
                }
                results[i] = new WriteResult.Failed(failure);
            }
            anyWritten[0] |= results[i] instanceof WriteResult.Written;
        }
        flush(requests, run, results, anyWritten);
        return List.of(results);
    }

    /**
     * Writes one run through a collection call. When the whole call fails, its records fail with
     * that error if earlier records were already written (their results must not be lost);
     * otherwise the failure is thrown so the engine retries the batch.
     */
    private void flush(List<WriteRequest> requests, List<Integer> run, WriteResult[] results, boolean[] anyWritten) {
        if (run.isEmpty()) {
            return;
        }
        List<WriteRequest> part = run.stream().map(requests::get).toList();
        List<WriteResult> written;
        try {
            written = collection(part);
        } catch (SyncException.NotFound missing) {
            throw new SyncException.Configuration("the sObject Collections resource answered 404 (" + missing.getMessage()
                    + "); check the apiVersion setting", SyncException.Details.of(SalesforceSettings.PROVIDER, 404, missing.providerCode()));
        } catch (SyncException failure) {
            if ((!anyWritten[0] && !(failure instanceof SyncException.Validation)) || failure instanceof SyncException.Configuration) {
                throw failure;
            }
            written = part.stream().<WriteResult>map(r -> new WriteResult.Failed(failure)).toList();
        }
        for (int k = 0; k < run.size(); k++) {
            results[run.get(k)] = written.get(k);
            anyWritten[0] |= written.get(k) instanceof WriteResult.Written;
        }
    }

    // ---------------------------------------------------------------- single records

    private WriteResult create(String entity, WriteRequest request) {
        HttpReply reply = api.send("POST", api.uri("/sobjects/" + entity), body(request, null), Map.of());
        JsonNode body = SalesforceApi.json(reply, "the create of a " + entity);
        return new WriteResult.Written(id(body, entity), null, null, true);
    }

    private WriteResult update(String entity, WriteRequest request, Optional<Instant> unmodifiedSince) {
        String id = recordId(request);
        api.send("PATCH", api.uri("/sobjects/" + entity + "/" + id), body(request, null), conditional(unmodifiedSince));
        return new WriteResult.Written(id, null, null, false);
    }

    private WriteResult delete(String entity, WriteRequest request, Optional<Instant> unmodifiedSince) {
        String id = recordId(request);
        if (unmodifiedSince.isPresent()) {
            HttpReply current = api.get(api.uri("/sobjects/" + entity + "/" + id + "?fields=LastModifiedDate"), Map.of());
            Optional<Instant> modified = SalesforceDates.parse(SalesforceApi.json(current, "the read before a delete")
                    .path("LastModifiedDate").asText(null));
            if (modified.isPresent() && modified.get().getEpochSecond() > unmodifiedSince.get().getEpochSecond()) {
                return new WriteResult.Failed(new SyncException.Conflict("the " + entity + " " + id + " changed at "
                        + modified.get() + ", after " + unmodifiedSince.get() + "; not deleted",
                        SyncException.Details.of(SalesforceSettings.PROVIDER, 412, null)));
            }
        }
        api.send("DELETE", api.uri("/sobjects/" + entity + "/" + id), null, Map.of());
        return new WriteResult.Written(id, null, null, false);
    }

    private WriteResult upsert(String entity, WriteRequest request, Optional<Instant> unmodifiedSince) {
        String field = SoqlBuilder.entity(request.upsertField());
        HttpReply reply;
        try {
            reply = api.send("PATCH", api.uri("/sobjects/" + entity + "/" + field + "/" + SalesforceApi.segment(request.upsertValue())),
                    body(request, field), conditional(unmodifiedSince));
        } catch (SyncException.NotFound missing) {
            // on the upsert resource a 404 means the field is no external id, not that a record is gone
            throw new SyncException.Validation(missing.getMessage(), field,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, missing.httpStatus(), missing.providerCode()));
        }
        if (reply.status() == 204) {
            throw new SyncException.Validation("Salesforce answered an upsert of " + entity + " with 204 and no id; use apiVersion "
                    + "46.0 or later", null, SyncException.Details.of(SalesforceSettings.PROVIDER, 204, null));
        }
        JsonNode body = SalesforceApi.json(reply, "the upsert of a " + entity);
        return new WriteResult.Written(id(body, entity), null, null, reply.status() == 201 || body.path("created").asBoolean(false));
    }

    // ---------------------------------------------------------------- collections

    /** Requests of the same key share a collection call; empty means this one goes alone. */
    private static Optional<String> batchKey(WriteRequest r) {
        if (r.ifMatch() != null || r.ifUnmodifiedSince() != null) {
            return Optional.empty();
        }
        return Optional.of(switch (r.kind()) {
            case CREATE -> "create:" + r.entity();
            case UPDATE -> "update:" + r.entity();
            case DELETE -> "delete:" + r.entity();
            case UPSERT -> "upsert:" + r.entity() + ":" + r.upsertField().toLowerCase(Locale.ROOT);
        });
    }

    private List<WriteResult> collection(List<WriteRequest> part) {
        WriteRequest first = part.get(0);
        String entity;
        try {
            entity = SoqlBuilder.entity(first.entity());
        } catch (SyncException.Configuration e) {
            return part.stream().<WriteResult>map(r -> new WriteResult.Failed(new SyncException.Validation(e.getMessage(), null,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null)))).toList();
        }
        return switch (first.kind()) {
            case CREATE -> records("POST", entity, part, false);
            case UPDATE -> records("PATCH", entity, part, true);
            case DELETE -> deleteBatch(entity, part);
            case UPSERT -> upsertBatch(entity, first.upsertField(), part);
        };
    }

    private List<WriteResult> records(String method, String entity, List<WriteRequest> part, boolean withId) {
        ObjectNode body = SyncJson.object().put("allOrNone", false);
        ArrayNode records = body.putArray("records");
        List<String> ids = new ArrayList<>();
        WriteResult[] early = new WriteResult[part.size()];
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
            WriteRequest r = part.get(i);
            ObjectNode record = typed(entity, body(r, null));
            if (withId) {
                Optional<String> id = SalesforceId.normalise(r.externalId());
                if (id.isEmpty()) {
                    early[i] = new WriteResult.Failed(malformedId(r));
                    continue;
                }
                record.put("id", id.get());
                ids.add(id.get());
            }
            records.add(record);
            sent.add(i);
        }
        List<WriteResult> answered = sent.isEmpty() ? List.of()
                : results(api.send(method, api.uri("/composite/sobjects"), body, Map.of()), entity, sent.size(), ids, false);
        return merge(early, sent, answered);
    }

    private List<WriteResult> deleteBatch(String entity, List<WriteRequest> part) {
        WriteResult[] early = new WriteResult[part.size()];
        List<Integer> sent = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        StringJoiner joined = new StringJoiner(",");
        for (int i = 0; i < part.size(); i++) {
            Optional<String> id = SalesforceId.normalise(part.get(i).externalId());
            if (id.isEmpty()) {
                early[i] = new WriteResult.Failed(malformedId(part.get(i)));
                continue;
            }
            ids.add(id.get());
            joined.add(id.get());
            sent.add(i);
        }
        List<WriteResult> answered = sent.isEmpty() ? List.of()
                : results(api.send("DELETE", api.uri("/composite/sobjects?ids=" + joined + "&allOrNone=false"), null, Map.of()),
                entity, sent.size(), ids, false);
        return merge(early, sent, answered);
    }

    private List<WriteResult> upsertBatch(String entity, String upsertField, List<WriteRequest> part) {
        String field = SoqlBuilder.entity(upsertField);
        ObjectNode body = SyncJson.object().put("allOrNone", false);
        ArrayNode records = body.putArray("records");
        for (WriteRequest r : part) {
            ObjectNode record = typed(entity, body(r, field));
            record.put(field, r.upsertValue());
            records.add(record);
        }
        HttpReply reply = api.send("PATCH", api.uri("/composite/sobjects/" + entity + "/" + field), body, Map.of());
        return results(reply, entity, part.size(), null, true);
    }

    /** Reads the per-record answers of a collection call. */
    static List<WriteResult> results(HttpReply reply, String entity, int expected, List<String> requestedIds, boolean upsert) {
        JsonNode body = SalesforceApi.json(reply, "an sObject Collections call on " + entity);
        String what = "an sObject Collections call on " + entity;
        if (!body.isArray() || body.size() != expected) {
            throw new SyncException.Validation("Salesforce answered " + what + " with " + (body.isArray() ? body.size() : "no")
                    + " results for " + expected + " records; their outcome is unknown", null,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, reply.status(), null));
        }
        List<WriteResult> out = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            JsonNode item = body.get(i);
            if (item.path("success").asBoolean(false)) {
                String id = item.hasNonNull("id") ? SalesforceId.normalise(item.get("id").asText()).orElse(item.get("id").asText())
                        : requestedIds == null ? null : requestedIds.get(i);
                boolean created = upsert ? item.path("created").asBoolean(false) : requestedIds == null;
                out.add(new WriteResult.Written(id, null, null, created));
            } else {
                out.add(new WriteResult.Failed(SalesforceErrorClassifier.recordFailure(what, ErrorBody.of(item.path("errors")))));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static List<WriteResult> merge(WriteResult[] early, List<Integer> sent, List<WriteResult> answered) {
        for (int k = 0; k < sent.size(); k++) {
            early[sent.get(k)] = answered.get(k);
        }
        return List.of(early);
    }

    /** The request's fields without system keys the API refuses ({@code attributes}, {@code Id}) or the upsert key. */
    private static ObjectNode body(WriteRequest request, String upsertField) {
        ObjectNode fields = request.fields().deepCopy();
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("attributes") || name.equalsIgnoreCase("Id") || (upsertField != null && name.equalsIgnoreCase(upsertField))) {
                names.remove();
            }
        }
        return fields;
    }

    private static ObjectNode typed(String entity, ObjectNode fields) {
        ObjectNode record = SyncJson.object();
        record.putObject("attributes").put("type", entity);
        record.setAll(fields);
        return record;
    }

    private static String recordId(WriteRequest request) {
        return SalesforceId.normalise(request.externalId()).orElseThrow(() -> malformedId(request));
    }

    private static SyncException.Validation malformedId(WriteRequest request) {
        return new SyncException.Validation("'" + request.externalId() + "' is not a 15- or 18-character Salesforce id", "Id",
                SyncException.Details.of(SalesforceSettings.PROVIDER, 0, "MALFORMED_ID"));
    }

    /** The id of a write answer, normalised to 18 characters when it is a Salesforce id. */
    private static String id(JsonNode body, String entity) {
        String id = body.path("id").asText("");
        if (id.isBlank()) {
            throw new SyncException.Validation("Salesforce answered a write of a " + entity + " without an id", "Id",
                    SyncException.Details.of(SalesforceSettings.PROVIDER, 200, null));
        }
        return SalesforceId.normalise(id).orElse(id);
    }

    private static Map<String, String> conditional(Optional<Instant> unmodifiedSince) {
        return unmodifiedSince.map(at -> Map.of("if-unmodified-since", SalesforceDates.httpDate(at))).orElse(Map.of());
    }

    /**
     * The instant the record must not have changed after: {@code ifUnmodifiedSince}, or the
     * modification stamp an {@code ifMatch} version stands for, whichever is earlier.
     *
     * @throws SyncException.Validation when {@code ifMatch} is not a version this adapter returned
     */
    private static Optional<Instant> precondition(WriteRequest request) {
        Instant since = request.ifUnmodifiedSince();
        if (request.ifMatch() != null && !request.ifMatch().isBlank() && !request.ifMatch().trim().equals("*")) {
            String tag = request.ifMatch().trim();
            Instant stamp;
            try {
                stamp = Instant.parse(tag);
            } catch (java.time.format.DateTimeParseException e) {
                stamp = SalesforceDates.parse(tag).orElseThrow(() -> new SyncException.Validation("ifMatch '" + tag
                        + "' is not a version the Salesforce adapter returned (a SystemModstamp)", null,
                        SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null)));
            }
            since = since == null || stamp.isBefore(since) ? stamp : since;
        }
        return Optional.ofNullable(since);
    }
}
