package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a query result page the way the REST API does, streaming with a {@link JsonGenerator}
 * (a 2,000-row page never exists as a tree):
 * {@code {"totalSize":N,"done":false,"nextRecordsUrl":"…","records":[{"attributes":{"type","url"},…}]}}.
 * Selected fields appear in query order; fields reached through one relationship share a nested
 * object with its own {@code attributes}, or {@code null} when the lookup is empty. Stateless.
 */
final class QueryPageWriter {

    private QueryPageWriter() {
    }

    static byte[] write(int totalSize, boolean done, String nextRecordsUrl, List<SObjectRow> rows, List<SoqlFieldPath> select,
                        String apiVersion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + rows.size() * 400);
        try (JsonGenerator g = SyncJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("totalSize", totalSize);
            g.writeBooleanField("done", done);
            if (!done) {
                g.writeStringField("nextRecordsUrl", nextRecordsUrl);
            }
            g.writeArrayFieldStart("records");
            Map<SObjectField, List<SoqlFieldPath>> byLookup = groupByLookup(select);
            for (SObjectRow row : rows) {
                writeRow(g, row, select, byLookup, apiVersion);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeRow(JsonGenerator g, SObjectRow row, List<SoqlFieldPath> select,
                                 Map<SObjectField, List<SoqlFieldPath>> byLookup, String apiVersion) throws IOException {
        g.writeStartObject();
        writeAttributes(g, row, apiVersion);
        List<SObjectField> written = new ArrayList<>(2);
        for (SoqlFieldPath path : select) {
            if (path.direct()) {
                g.writeFieldName(path.field().name());
                g.writeTree(row.json(path.field()));
                continue;
            }
            if (written.contains(path.lookup())) {
                continue;
            }
            written.add(path.lookup());
            g.writeFieldName(path.lookup().relationshipName());
            SObjectRow related = row.related(path.lookup(), path.target());
            if (related == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            writeAttributes(g, related, apiVersion);
            for (SoqlFieldPath p : byLookup.get(path.lookup())) {
                g.writeFieldName(p.field().name());
                g.writeTree(related.json(p.field()));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeAttributes(JsonGenerator g, SObjectRow row, String apiVersion) throws IOException {
        g.writeObjectFieldStart("attributes");
        g.writeStringField("type", row.type().name());
        g.writeStringField("url", "/services/data/" + apiVersion + "/sobjects/" + row.type().name() + "/" + row.record().id());
        g.writeEndObject();
    }

    private static Map<SObjectField, List<SoqlFieldPath>> groupByLookup(List<SoqlFieldPath> select) {
        Map<SObjectField, List<SoqlFieldPath>> out = new LinkedHashMap<>();
        for (SoqlFieldPath p : select) {
            if (!p.direct()) {
                out.computeIfAbsent(p.lookup(), k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }
}
