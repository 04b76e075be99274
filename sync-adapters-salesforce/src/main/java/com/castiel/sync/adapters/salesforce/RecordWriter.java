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
 * read-then-delete race window remains). Upsert values containing {@code /}, which cannot travel
 * in the upsert URL, go in a collection body.
 *
 * <p><b>Batches.</b> Consecutive requests of the same kind and type (and upsert field) without
 * preconditions form runs of up to 200 records, each one sObject Collections request
 * ({@code allOrNone=false}): {@code POST}, {@code PATCH} or {@code DELETE /composite/sobjects},
 * or {@code PATCH /composite/sobjects/{type}/{field}}. Neighbouring runs that together hold at
 * most 200 records (and at most 5 runs, Salesforce's limit) share one {@code /composite} call with
 * {@code collateSubrequests=false}, so a mixed batch costs one request and still runs in request
 * order. Writes with preconditions go one at a time, in their place. A refused record fails
 * alone; a refused run fails its records; when a whole call fails, its records fail with that
 * error if earlier records were written (so their results are not lost), otherwise the failure
 * is thrown for the engine to retry the batch.
 *
 * <p>Thread-safe.
 */
final class RecordWriter {

    static final int MAX_COLLECTION = 200;
    /** sObject Collections subrequests Salesforce allows in one composite request. */
    static final int MAX_COLLECTIONS_PER_COMPOSITE = 5;

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
                if (unmodifiedSince.isPresent()) {
                    throw new SyncException.Validation("an upsert by a value containing '/' cannot carry a precondition: "
                            + "Salesforce takes such values only in sObject Collections, which have no conditional headers",
                            request.upsertField(), SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
                }
                Run run = prepare(List.of(request));
                return run.read(api.send(run.method(), api.uri(run.path()), run.body(), Map.of())).get(0);
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

    /** Writes records with as few calls as possible, in request order; one result per request. */
    List<WriteResult> writeBatch(List<WriteRequest> requests) {
        WriteResult[] results = new WriteResult[requests.size()];
        boolean[] anyWritten = {false};
        List<List<Integer>> runs = new ArrayList<>();
        String runKey = null;
        for (int i = 0; i <= requests.size(); i++) {
            Optional<String> key = i == requests.size() ? Optional.empty() : batchKey(requests.get(i));
            boolean continuesRun = key.isPresent() && key.get().equals(runKey) && runs.get(runs.size() - 1).size() < MAX_COLLECTION;
            if (continuesRun) {
                runs.get(runs.size() - 1).add(i);
                continue;
            }
            if (key.isPresent()) {
                runs.add(new ArrayList<>(List.of(i)));
                runKey = key.get();
                continue;
            }
            // a single write (or the end) closes the open runs: send them first, to keep request order
            send(requests, runs, results, anyWritten);
            runs.clear();
            runKey = null;
            if (i < requests.size()) {
                results[i] = single(requests.get(i), anyWritten[0]);
                anyWritten[0] |= results[i] instanceof WriteResult.Written;
            }
        }
        return List.of(results);
    }

    private WriteResult single(WriteRequest request, boolean anyWritten) {
        try {
            return write(request);
        } catch (SyncException failure) {
            if (!anyWritten || failure instanceof SyncException.Configuration) {
                throw failure;
            }
            return new WriteResult.Failed(failure);
        }
    }

    /** Sends consecutive runs, packing neighbours into composite calls of at most 200 records. */
    private void send(List<WriteRequest> requests, List<List<Integer>> runs, WriteResult[] results, boolean[] anyWritten) {
        int r = 0;
        while (r < runs.size()) {
            List<List<Integer>> call = new ArrayList<>();
            int records = 0;
            while (r < runs.size() && call.size() < MAX_COLLECTIONS_PER_COMPOSITE && records + runs.get(r).size() <= MAX_COLLECTION) {
                records += runs.get(r).size();
                call.add(runs.get(r++));
            }
            if (call.isEmpty()) {
                call.add(runs.get(r++));
            }
            List<WriteResult> written;
            try {
                written = call.size() == 1 ? collection(requests, call.get(0)) : composite(requests, call);
            } catch (SyncException.NotFound missing) {
                throw new SyncException.Configuration("a batch write resource answered 404 (" + missing.getMessage()
                        + "); check the apiVersion setting", SyncException.Details.of(SalesforceSettings.PROVIDER, 404, missing.providerCode()));
            } catch (SyncException failure) {
                if ((!anyWritten[0] && !(failure instanceof SyncException.Validation)) || failure instanceof SyncException.Configuration) {
                    throw failure;
                }
                written = new ArrayList<>();
                for (List<Integer> run : call) {
                    for (int k = 0; k < run.size(); k++) {
                        written.add(new WriteResult.Failed(failure));
                    }
                }
            }
            int k = 0;
            for (List<Integer> run : call) {
                for (int index : run) {
                    results[index] = written.get(k++);
                    anyWritten[0] |= results[index] instanceof WriteResult.Written;
                }
            }
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

    /**
     * One sObject Collections request, ready to send alone or as a composite subrequest.
     *
     * @param method HTTP method
     * @param path path under {@code /services/data/vXX.X}
     * @param body request body, {@code null} for deletes
     * @param size how many requests of the batch it stands for
     * @param early results known before sending (malformed ids), by position; {@code null} = sent
     * @param ids the record ids sent, in order, for answers that omit them; {@code null} for creates and upserts
     * @param upsert whether answers carry {@code created}
     * @param entity the type, for messages
     */
    private record Run(String method, String path, JsonNode body, int size, WriteResult[] early, List<String> ids, boolean upsert,
                       String entity) {

        /** The results of the run from Salesforce's answer to it. */
        List<WriteResult> read(HttpReply reply) {
            return read(SalesforceApi.json(reply, "an sObject Collections call on " + entity), reply.status());
        }

        List<WriteResult> read(JsonNode answer, int status) {
            int sent = 0;
            for (WriteResult e : early) {
                sent += e == null ? 1 : 0;
            }
            List<WriteResult> answered = sent == 0 ? List.of() : results(answer, status, entity, sent, ids, upsert);
            List<WriteResult> out = new ArrayList<>(size);
            int k = 0;
            for (WriteResult e : early) {
                out.add(e != null ? e : answered.get(k++));
            }
            return out;
        }

        /** Every request of the run failed with one error. */
        List<WriteResult> failed(SyncException error) {
            List<WriteResult> out = new ArrayList<>(size);
            for (WriteResult e : early) {
                out.add(e != null ? e : new WriteResult.Failed(error));
            }
            return out;
        }

        boolean nothingToSend() {
            for (WriteResult e : early) {
                if (e == null) {
                    return false;
                }
            }
            return true;
        }
    }

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

    private List<WriteResult> collection(List<WriteRequest> requests, List<Integer> indexes) {
        List<WriteRequest> part = indexes.stream().map(requests::get).toList();
        Run run;
        try {
            run = prepare(part);
        } catch (SyncException.Configuration e) {
            return badEntity(part, e);
        }
        if (run.nothingToSend()) {
            return run.failed(null);
        }
        return run.read(api.send(run.method(), api.uri(run.path()), run.body(), Map.of()));
    }

    private List<WriteResult> composite(List<WriteRequest> requests, List<List<Integer>> indexes) {
        List<Run> runs = new ArrayList<>();
        List<List<WriteResult>> prepared = new ArrayList<>();
        ObjectNode body = SyncJson.object().put("allOrNone", false).put("collateSubrequests", false);
        ArrayNode subrequests = body.putArray("compositeRequest");
        for (List<Integer> run : indexes) {
            List<WriteRequest> part = run.stream().map(requests::get).toList();
            try {
                Run r = prepare(part);
                runs.add(r);
                prepared.add(null);
                if (!r.nothingToSend()) {
                    ObjectNode sub = subrequests.addObject().put("method", r.method())
                            .put("url", api.path(r.path())).put("referenceId", "run" + runs.size());
                    if (r.body() != null) {
                        sub.set("body", r.body());
                    }
                }
            } catch (SyncException.Configuration e) {
                runs.add(null);
                prepared.add(badEntity(part, e));
            }
        }
        JsonNode answer = subrequests.isEmpty() ? null
                : SalesforceApi.json(api.send("POST", api.uri("/composite"), body, Map.of()), "a composite call");
        JsonNode responses = answer == null ? null : answer.path("compositeResponse");
        if (answer != null && (!responses.isArray() || responses.size() != subrequests.size())) {
            throw new SyncException.Validation("Salesforce answered a composite call of " + subrequests.size()
                    + " subrequests with " + (responses.isArray() ? responses.size() : "no") + " responses; their outcome is unknown",
                    null, SyncException.Details.of(SalesforceSettings.PROVIDER, 200, null));
        }
        List<WriteResult> out = new ArrayList<>();
        int sub = 0;
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            if (r == null) {
                out.addAll(prepared.get(i));
            } else if (r.nothingToSend()) {
                out.addAll(r.failed(null));
            } else {
                out.addAll(subrequestResults(r, responses.get(sub++)));
            }
        }
        return out;
    }

    /** The results of one composite subrequest: its collection answer, or its error for all its records. */
    static List<WriteResult> subrequestResults(Run run, JsonNode response) {
        int status = response.path("httpStatusCode").asInt(0);
        JsonNode body = response.path("body");
        if (status >= 200 && status < 300) {
            return run.read(body, status);
        }
        return run.failed(SalesforceErrorClassifier.classify(run.method() + " " + run.path() + " (composite subrequest "
                + response.path("referenceId").asText("?") + ")", status, ErrorBody.of(body)));
    }

    private Run prepare(List<WriteRequest> part) {
        WriteRequest first = part.get(0);
        String entity = SoqlBuilder.entity(first.entity());
        WriteResult[] early = new WriteResult[part.size()];
        return switch (first.kind()) {
            case CREATE, UPDATE -> {
                boolean update = first.kind() == WriteKind.UPDATE;
                ObjectNode body = SyncJson.object().put("allOrNone", false);
                ArrayNode records = body.putArray("records");
                List<String> ids = update ? new ArrayList<>() : null;
                for (int i = 0; i < part.size(); i++) {
                    ObjectNode record = typed(entity, body(part.get(i), null));
                    if (update) {
                        Optional<String> id = SalesforceId.normalise(part.get(i).externalId());
                        if (id.isEmpty()) {
                            early[i] = new WriteResult.Failed(malformedId(part.get(i)));
                            continue;
                        }
                        record.put("id", id.get());
                        ids.add(id.get());
                    }
                    records.add(record);
                }
                yield new Run(update ? "PATCH" : "POST", "/composite/sobjects", body, part.size(), early, ids, false, entity);
            }
            case DELETE -> {
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
                }
                yield new Run("DELETE", "/composite/sobjects?ids=" + joined + "&allOrNone=false", null, part.size(), early, ids, false,
                        entity);
            }
            case UPSERT -> {
                String field = SoqlBuilder.entity(first.upsertField());
                ObjectNode body = SyncJson.object().put("allOrNone", false);
                ArrayNode records = body.putArray("records");
                for (WriteRequest r : part) {
                    ObjectNode record = typed(entity, body(r, field));
                    record.put(field, r.upsertValue());
                    records.add(record);
                }
                yield new Run("PATCH", "/composite/sobjects/" + entity + "/" + field, body, part.size(), early, null, true, entity);
            }
        };
    }

    /**
     * Reads the per-record answers of an sObject Collections call, in request order.
     *
     * @param requestedIds the ids sent (updates, deletes), for answers without an id; {@code null} for creates and upserts
     * @throws SyncException.Validation when the answer does not hold one result per record
     */
    static List<WriteResult> results(JsonNode body, int status, String entity, int expected, List<String> requestedIds, boolean upsert) {
        String what = "an sObject Collections call on " + entity;
        if (!body.isArray() || body.size() != expected) {
            throw new SyncException.Validation("Salesforce answered " + what + " with " + (body.isArray() ? body.size() : "no")
                    + " results for " + expected + " records; their outcome is unknown", null,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, status, null));
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

    private static List<WriteResult> badEntity(List<WriteRequest> part, SyncException.Configuration e) {
        return part.stream().<WriteResult>map(r -> new WriteResult.Failed(new SyncException.Validation(e.getMessage(), null,
                SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null)))).toList();
    }

    /** The request's fields without keys the API refuses in a body ({@code attributes}, {@code Id}) or the upsert key. */
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
