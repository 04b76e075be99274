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
 * Collections, both inside composite calls where that saves requests.
 *
 * <p><b>Single records.</b> A create, update or upsert is one {@code POST /composite} call of two
 * subrequests (one API request): the write — {@code POST /sobjects/{type}} (201 with the new
 * id), {@code PATCH /sobjects/{type}/{id}} (204), or {@code PATCH /sobjects/{type}/{field}/{value}}
 * (201 created, 200 updated, 300 several matches) — and a {@code GET} of the written record's
 * {@code SystemModstamp} (by id, or {@code @{write.id}}), so the result carries the version and
 * stamp the next read will report. Salesforce's write answers carry neither. A delete is a plain
 * {@code DELETE /sobjects/{type}/{id}} (204).
 *
 * <p><b>Preconditions</b> become {@code If-Unmodified-Since} (as a subrequest header); a version
 * this adapter handed out (the record's {@code SystemModstamp}) given as {@code ifMatch} is sent
 * the same way, since Salesforce supports ETags on Account rows only. Salesforce does not
 * evaluate conditional headers on DELETE, so a conditional delete reads {@code LastModifiedDate}
 * first (a read-then-delete race window remains). Upsert values containing {@code /}, which
 * cannot travel in the upsert URL, go in a collection body.
 *
 * <p><b>Batches.</b> Consecutive requests of the same kind and type (and upsert field) without
 * preconditions form runs of up to 200 records, each one sObject Collections request
 * ({@code allOrNone=false}): {@code POST}, {@code PATCH} or {@code DELETE /composite/sobjects},
 * or {@code PATCH /composite/sobjects/{type}/{field}}. Conditional creates, updates and upserts
 * are single sObject subrequests. Neighbouring steps that fit together (200 records, 25
 * subrequests, 5 of them collections: Salesforce's limits) share one {@code /composite} call with
 * {@code collateSubrequests=false}, so a mixed batch costs one request and still runs in request
 * order; a lone run is sent as a plain collection request. Conditional deletes go alone. A
 * refused record fails alone; a refused run fails its records; when a whole call fails, its
 * records fail with that error if earlier records were written (so their results are not lost),
 * otherwise the failure is thrown for the engine to retry the batch. Batch results carry no
 * version.
 *
 * <p>Thread-safe.
 */
final class RecordWriter {

    static final int MAX_COLLECTION = 200;
    /** sObject Collections subrequests Salesforce allows in one composite request. */
    static final int MAX_COLLECTIONS_PER_COMPOSITE = 5;
    /** Subrequests Salesforce allows in one composite request. */
    static final int MAX_SUBREQUESTS = 25;

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
            if (request.kind() == WriteKind.DELETE) {
                return delete(entity, request, unmodifiedSince);
            }
            return writeAndReadVersion(row(entity, request, unmodifiedSince));
        } catch (SyncException.Validation | SyncException.NotFound | SyncException.Conflict e) {
            return new WriteResult.Failed(e);
        }
    }

    /**
     * Writes records with as few calls as possible, in request order; one result per request.
     * Runs of collection writes and conditional single-record writes that fit together (200
     * records, 25 subrequests, 5 collections) share one composite call; conditional deletes go
     * alone.
     */
    List<WriteResult> writeBatch(List<WriteRequest> requests) {
        WriteResult[] results = new WriteResult[requests.size()];
        boolean[] anyWritten = {false};
        List<Step> call = new ArrayList<>();
        int records = 0;
        int collections = 0;
        for (Step step : plan(requests)) {
            if (step instanceof Alone alone) {
                send(requests, call, results, anyWritten);
                call.clear();
                records = 0;
                collections = 0;
                results[alone.index()] = single(requests.get(alone.index()), anyWritten[0]);
                anyWritten[0] |= results[alone.index()] instanceof WriteResult.Written;
                continue;
            }
            int stepCollections = step instanceof CollectionRun ? 1 : 0;
            if (!call.isEmpty() && (records + step.size() > MAX_COLLECTION || call.size() == MAX_SUBREQUESTS
                    || collections + stepCollections > MAX_COLLECTIONS_PER_COMPOSITE)) {
                send(requests, call, results, anyWritten);
                call.clear();
                records = 0;
                collections = 0;
            }
            call.add(step);
            records += step.size();
            collections += stepCollections;
        }
        send(requests, call, results, anyWritten);
        return List.of(results);
    }

    /** A part of a batch, in request order. */
    private sealed interface Step {
        int size();
    }

    /** Consecutive requests of one kind and type (and upsert field) without preconditions: one collection subrequest. */
    private record CollectionRun(String key, List<Integer> indexes) implements Step {
        @Override
        public int size() {
            return indexes.size();
        }
    }

    /** A conditional create, update or upsert: one sObject-row subrequest carrying {@code If-Unmodified-Since}. */
    private record ConditionalRow(int index) implements Step {
        @Override
        public int size() {
            return 1;
        }
    }

    /** A write that needs its own exchange (a conditional delete, which Salesforce cannot condition). */
    private record Alone(int index) implements Step {
        @Override
        public int size() {
            return 1;
        }
    }

    private static List<Step> plan(List<WriteRequest> requests) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            WriteRequest r = requests.get(i);
            Optional<String> key = batchKey(r);
            Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            if (key.isPresent()) {
                if (last instanceof CollectionRun run && run.key().equals(key.get()) && run.size() < MAX_COLLECTION) {
                    run.indexes().add(i);
                } else {
                    steps.add(new CollectionRun(key.get(), new ArrayList<>(List.of(i))));
                }
            } else if (r.kind() == WriteKind.DELETE || (r.kind() == WriteKind.UPSERT && r.upsertValue().contains("/"))) {
                steps.add(new Alone(i));
            } else {
                steps.add(new ConditionalRow(i));
            }
        }
        return steps;
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

    /**
     * Sends one call's steps: a lone collection run as a plain collection request, a lone
     * conditional row as a single write, several steps as one composite call. When the whole
     * call fails, its records fail with that error if earlier records were already written;
     * otherwise the failure is thrown so the engine retries the batch.
     */
    private void send(List<WriteRequest> requests, List<Step> call, WriteResult[] results, boolean[] anyWritten) {
        if (call.isEmpty()) {
            return;
        }
        List<WriteResult> written;
        try {
            if (call.size() == 1 && call.get(0) instanceof CollectionRun run) {
                written = collection(requests, run.indexes());
            } else if (call.size() == 1 && call.get(0) instanceof ConditionalRow row) {
                written = List.of(write(requests.get(row.index())));
            } else {
                written = composite(requests, call);
            }
        } catch (SyncException.NotFound missing) {
            throw new SyncException.Configuration("a batch write resource answered 404 (" + missing.getMessage()
                    + "); check the apiVersion setting", SyncException.Details.of(SalesforceSettings.PROVIDER, 404, missing.providerCode()));
        } catch (SyncException failure) {
            if ((!anyWritten[0] && !(failure instanceof SyncException.Validation)) || failure instanceof SyncException.Configuration) {
                throw failure;
            }
            written = new ArrayList<>();
            for (Step step : call) {
                for (int k = 0; k < step.size(); k++) {
                    written.add(new WriteResult.Failed(failure));
                }
            }
        }
        int k = 0;
        for (Step step : call) {
            for (int index : indexesOf(step)) {
                results[index] = written.get(k++);
                anyWritten[0] |= results[index] instanceof WriteResult.Written;
            }
        }
    }

    private static List<Integer> indexesOf(Step step) {
        return switch (step) {
            case CollectionRun run -> run.indexes();
            case ConditionalRow row -> List.of(row.index());
            case Alone alone -> List.of(alone.index());
        };
    }

    // ---------------------------------------------------------------- single records

    /**
     * One create, update or upsert as a subrequest of the sObject resources.
     *
     * @param knownId the record id when the request names it (updates), else {@code null}
     * @param upsertField the external-id field of an upsert, else {@code null}
     */
    private record Row(String method, String path, ObjectNode body, Map<String, String> headers, String entity, String knownId,
                       String upsertField) {

        ObjectNode subrequest(SalesforceApi api, String referenceId) {
            ObjectNode sub = SyncJson.object().put("method", method).put("url", api.path(path)).put("referenceId", referenceId);
            sub.set("body", body);
            if (!headers.isEmpty()) {
                ObjectNode h = sub.putObject("httpHeaders");
                headers.forEach((name, value) -> h.put(name, value));
            }
            return sub;
        }

        /** The result of this write from its subrequest answer; a refusal of any kind is a {@code Failed}. */
        WriteResult result(int status, JsonNode body) {
            if (status >= 200 && status < 300) {
                String id = knownId != null ? knownId : RecordWriter.id(body, entity);
                return new WriteResult.Written(id, null, null, status == 201 || body.path("created").asBoolean(false));
            }
            SyncException error = SalesforceErrorClassifier.classify(method + " " + path, status, ErrorBody.of(body));
            if (upsertField != null && error instanceof SyncException.NotFound) {
                // on the upsert resource a 404 means the field is no external id, not that a record is gone
                error = new SyncException.Validation(error.getMessage(), upsertField,
                        SyncException.Details.of(SalesforceSettings.PROVIDER, status, error.providerCode()));
            }
            return new WriteResult.Failed(error);
        }

        /** Reads the written record's {@code SystemModstamp}, by id or by reference to the write's answer. */
        ObjectNode versionSubrequest(SalesforceApi api, String writeReference, String referenceId) {
            String id = knownId != null ? knownId : "@{" + writeReference + ".id}";
            return SyncJson.object().put("method", "GET").put("url", api.path("/sobjects/" + entity + "/" + id + "?fields=SystemModstamp"))
                    .put("referenceId", referenceId);
        }
    }

    private Row row(String entity, WriteRequest request, Optional<Instant> unmodifiedSince) {
        Map<String, String> headers = unmodifiedSince.map(at -> Map.of("If-Unmodified-Since", SalesforceDates.httpDate(at))).orElse(Map.of());
        return switch (request.kind()) {
            case CREATE -> new Row("POST", "/sobjects/" + entity, body(request, null), Map.of(), entity, null, null);
            case UPDATE -> {
                String id = recordId(request);
                yield new Row("PATCH", "/sobjects/" + entity + "/" + id, body(request, null), headers, entity, id, null);
            }
            case UPSERT -> {
                String field = SoqlBuilder.entity(request.upsertField());
                yield new Row("PATCH", "/sobjects/" + entity + "/" + field + "/" + SalesforceApi.segment(request.upsertValue()),
                        body(request, field), headers, entity, null, field);
            }
            case DELETE -> throw new IllegalArgumentException("deletes are not row writes");
        };
    }

    /**
     * Writes one record and reads its new {@code SystemModstamp} in the same composite call (one
     * API request), so the result carries the version and stamp a later read will report. A
     * change made by someone else between the two subrequests would be reported as this write's.
     */
    private WriteResult writeAndReadVersion(Row row) {
        ObjectNode body = SyncJson.object().put("allOrNone", false).put("collateSubrequests", false);
        ArrayNode subrequests = body.putArray("compositeRequest");
        subrequests.add(row.subrequest(api, "write"));
        subrequests.add(row.versionSubrequest(api, "write", "version"));
        JsonNode responses = compositeResponses(api.send("POST", api.uri("/composite"), body, Map.of()), 2);
        JsonNode write = responses.get(0);
        WriteResult result = row.result(write.path("httpStatusCode").asInt(0), write.path("body"));
        if (result instanceof WriteResult.Failed failed) {
            if (failed.error() instanceof SyncException.Validation || failed.error() instanceof SyncException.NotFound
                    || failed.error() instanceof SyncException.Conflict) {
                return failed;
            }
            throw failed.error();
        }
        WriteResult.Written written = (WriteResult.Written) result;
        JsonNode version = responses.get(1);
        Optional<Instant> stamp = version.path("httpStatusCode").asInt(0) == 200
                ? SalesforceDates.parse(version.path("body").path("SystemModstamp").asText(null)) : Optional.empty();
        return stamp.<WriteResult>map(s -> new WriteResult.Written(written.externalId(), s.toString(), s, written.created()))
                .orElse(written);
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

    /**
     * The {@code compositeResponse} array of a composite answer.
     *
     * @throws SyncException.Validation when it does not hold one response per subrequest
     */
    private static JsonNode compositeResponses(HttpReply reply, int expected) {
        JsonNode responses = SalesforceApi.json(reply, "a composite call").path("compositeResponse");
        if (!responses.isArray() || responses.size() != expected) {
            throw new SyncException.Validation("Salesforce answered a composite call of " + expected + " subrequests with "
                    + (responses.isArray() ? responses.size() : "no") + " responses; their outcome is unknown", null,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, reply.status(), null));
        }
        return responses;
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

    private List<WriteResult> composite(List<WriteRequest> requests, List<Step> steps) {
        ObjectNode body = SyncJson.object().put("allOrNone", false).put("collateSubrequests", false);
        ArrayNode subrequests = body.putArray("compositeRequest");
        // per step: the collection run or row sent, or the results known without sending
        List<Object> sent = new ArrayList<>();
        for (Step step : steps) {
            switch (step) {
                case CollectionRun run -> {
                    List<WriteRequest> part = run.indexes().stream().map(requests::get).toList();
                    try {
                        Run r = prepare(part);
                        if (r.nothingToSend()) {
                            sent.add(r.failed(null));
                        } else {
                            sent.add(r);
                            ObjectNode sub = subrequests.addObject().put("method", r.method())
                                    .put("url", api.path(r.path())).put("referenceId", "step" + sent.size());
                            if (r.body() != null) {
                                sub.set("body", r.body());
                            }
                        }
                    } catch (SyncException.Configuration e) {
                        sent.add(badEntity(part, e));
                    }
                }
                case ConditionalRow row -> {
                    WriteRequest request = requests.get(row.index());
                    try {
                        Row r = row(SoqlBuilder.entity(request.entity()), request, precondition(request));
                        sent.add(r);
                        subrequests.add(r.subrequest(api, "step" + sent.size()));
                    } catch (SyncException.Validation | SyncException.Configuration e) {
                        sent.add(List.of(new WriteResult.Failed(e instanceof SyncException.Validation v ? v
                                : new SyncException.Validation(e.getMessage(), null, SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null)))));
                    }
                }
                case Alone alone -> throw new IllegalStateException("lone writes are never packed");
            }
        }
        JsonNode responses = subrequests.isEmpty() ? null
                : compositeResponses(api.send("POST", api.uri("/composite"), body, Map.of()), subrequests.size());
        List<WriteResult> out = new ArrayList<>();
        int sub = 0;
        for (Object s : sent) {
            if (s instanceof Run r) {
                out.addAll(subrequestResults(r, responses.get(sub++)));
            } else if (s instanceof Row r) {
                JsonNode answer = responses.get(sub++);
                out.add(r.result(answer.path("httpStatusCode").asInt(0), answer.path("body")));
            } else {
                @SuppressWarnings("unchecked")
                List<WriteResult> known = (List<WriteResult>) s;
                out.addAll(known);
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
    static String id(JsonNode body, String entity) {
        String id = body.path("id").asText("");
        if (id.isBlank()) {
            throw new SyncException.Validation("Salesforce answered a write of a " + entity + " without an id", "Id",
                    SyncException.Details.of(SalesforceSettings.PROVIDER, 200, null));
        }
        return SalesforceId.normalise(id).orElse(id);
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
