package com.castiel.sync.bench.scenario;

import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildOutput;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.bench.process.OrgCoordinates;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Child role {@code limits}: the physical limits scenario 1 is judged against, measured on the
 * same machine, in the same run, with the same data the engine just synced.
 *
 * <ol>
 *   <li><b>Fetch</b>: the engine's first query, replayed against the fake org with the JDK HTTP
 *       client (batch size 2,000, following {@code nextRecordsUrl}); bodies are kept, nothing is
 *       parsed except the next URL. This is the fake's page generation plus loopback HTTP.</li>
 *   <li><b>(a) Jackson</b>: {@code readTree} of every page kept (what the adapter does), in
 *       memory; warm-up passes first, then the best measured pass.</li>
 *   <li><b>(b) SQLite</b>: the engine's own shard and link rows, read back from its database,
 *       inserted into a fresh database with the same table and index definitions and the same
 *       connection settings (WAL, synchronous=NORMAL), with one prepared statement per table,
 *       {@code addBatch}/{@code executeBatch} and one transaction per 2,000 shards; the best
 *       measured pass.</li>
 * </ol>
 * Prints one {@code RESULT} line.
 *
 * <p>Arguments: {@code --org <json> --query <path?query> --db <engine sync.db> --scratch <dir>
 * [--passes N]}.
 */
public final class LimitsMain {

    private static final int TRANSACTION_ROWS = 2000;
    private static final ObjectMapper JSON = SyncJson.mapper();

    private LimitsMain() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = ChildArgs.parse(argv, 0);
        OrgCoordinates org = OrgCoordinates.fromJson(args.text("org"));
        int passes = args.integer("passes", 3);
        Path scratch = args.path("scratch");
        ObjectNode out = SyncJson.object();

        List<byte[]> pages = fetch(org, args.text("query"), out.putObject("fetch"));
        parse(pages, passes, out.putObject("parse"));
        pages = null;

        Files.createDirectories(scratch);
        try {
            insert(args.path("db"), scratch, passes, out.putObject("insert"));
        } finally {
            DataDirs.delete(scratch);
        }
        ChildOutput.result(out);
    }

    // ---------------------------------------------------------------- fetch

    private static List<byte[]> fetch(OrgCoordinates org, String query, ObjectNode out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String form = "grant_type=refresh_token&refresh_token=" + enc(org.refreshToken()) + "&client_id=" + enc(org.clientId())
                + "&client_secret=" + enc(org.clientSecret());
        HttpResponse<byte[]> token = http.send(HttpRequest.newBuilder(org.loginUrl().resolve("/services/oauth2/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (token.statusCode() != 200) {
            throw new IllegalStateException("the fake org refused the token request: HTTP " + token.statusCode());
        }
        JsonNode grant = JSON.readTree(token.body());
        String accessToken = grant.path("access_token").asText();
        URI instance = URI.create(grant.path("instance_url").asText(org.instanceUrl().toString()));

        List<byte[]> pages = new ArrayList<>();
        long bytes = 0;
        long t0 = System.nanoTime();
        String next = query;
        while (next != null) {
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(instance.resolve(next))
                    .header("authorization", "Bearer " + accessToken)
                    .header("sforce-query-options", "batchSize=2000")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (page.statusCode() != 200) {
                throw new IllegalStateException("the fake org answered a query page with HTTP " + page.statusCode());
            }
            pages.add(page.body());
            bytes += page.body().length;
            next = nextRecordsUrl(page.body());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long records = 0;
        for (byte[] p : pages) {
            records += JSON.readTree(p).get("records").size();
        }
        out.put("pages", pages.size());
        out.put("records", records);
        out.put("bytes", bytes);
        out.put("seconds", seconds);
        out.put("recordsPerSecond", records / seconds);
        return pages;
    }

    /** The top-level {@code nextRecordsUrl} (it precedes {@code records}), without parsing the records. */
    private static String nextRecordsUrl(byte[] body) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a query page is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("nextRecordsUrl".equals(name)) {
                    return p.getValueAsString();
                }
                if ("records".equals(name)) {
                    return null;
                }
                p.skipChildren();
            }
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- (a) parse

    private static void parse(List<byte[]> pages, int passes, ObjectNode out) throws IOException {
        ArrayNode rates = out.putArray("passes");
        int warmups = 2;
        double best = 0;
        for (int pass = 0; pass < warmups + passes; pass++) {
            long records = 0;
            long t0 = System.nanoTime();
            for (byte[] page : pages) {
                JsonNode tree = JSON.readTree(page);
                records += tree.get("records").size();
            }
            double rate = records / ((System.nanoTime() - t0) / 1e9);
            if (pass >= warmups) {
                rates.add(rate);
                best = Math.max(best, rate);
            }
        }
        out.put("recordsPerSecond", best);
    }

    // ---------------------------------------------------------------- (b) insert

    private record Row(long rowId, String tenant, String shardId, String shardType, int deleted, long etag, String doc) {
    }

    private record Link(long shardRow, String tenant, String integration, String entity, String externalId, String shardId) {
    }

    private static void insert(Path engineDb, Path scratch, int passes, ObjectNode out) throws SQLException {
        List<String> ddl = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + engineDb.toAbsolutePath() + "?mode=ro");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE tbl_name IN ('shard', 'shard_link')"
                    + " AND sql IS NOT NULL ORDER BY type = 'table' DESC, name")) {
                while (rs.next()) {
                    ddl.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT row_id, tenant, shard_id, shard_type, deleted, etag, doc FROM shard ORDER BY row_id")) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6),
                            rs.getString(7)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT shard_row, tenant, integration, entity, external_id, shard_id FROM shard_link"
                    + " ORDER BY shard_row, row_id")) {
                while (rs.next()) {
                    links.add(new Link(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        if (ddl.size() < 2 || rows.isEmpty()) {
            throw new IllegalStateException("the engine's database has no shard tables or no shards: " + engineDb);
        }
        ArrayNode rates = out.putArray("passes");
        int warmups = 1;
        double best = 0;
        for (int pass = 0; pass < warmups + passes; pass++) {
            Path file = scratch.resolve("bare-" + pass + ".db");
            double rate = insertPass(file, ddl, rows, links);
            for (String suffix : List.of("", "-wal", "-shm")) {
                try {
                    Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot delete " + file + suffix, e);
                }
            }
            if (pass >= warmups) {
                rates.add(rate);
                best = Math.max(best, rate);
            }
        }
        out.put("shards", rows.size());
        out.put("links", links.size());
        out.put("rowsPerSecond", best);
    }

    private static double insertPass(Path file, List<String> ddl, List<Row> rows, List<Link> links) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-32_768);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties())) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA journal_size_limit=67108864");
                for (String sql : ddl) {
                    s.execute(sql);
                }
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement shard = c.prepareStatement(
                    "INSERT INTO shard (row_id, tenant, shard_id, shard_type, deleted, etag, doc) VALUES (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement link = c.prepareStatement(
                         "INSERT INTO shard_link (shard_row, tenant, integration, entity, external_id, shard_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                int l = 0;
                for (int from = 0; from < rows.size(); from += TRANSACTION_ROWS) {
                    int to = Math.min(rows.size(), from + TRANSACTION_ROWS);
                    long lastRow = rows.get(to - 1).rowId();
                    for (Row r : rows.subList(from, to)) {
                        shard.setLong(1, r.rowId());
                        shard.setString(2, r.tenant());
                        shard.setString(3, r.shardId());
                        shard.setString(4, r.shardType());
                        shard.setInt(5, r.deleted());
                        shard.setLong(6, r.etag());
                        shard.setString(7, r.doc());
                        shard.addBatch();
                    }
                    shard.executeBatch();
                    while (l < links.size() && links.get(l).shardRow() <= lastRow) {
                        Link k = links.get(l++);
                        link.setLong(1, k.shardRow());
                        link.setString(2, k.tenant());
                        link.setString(3, k.integration());
                        link.setString(4, k.entity());
                        link.setString(5, k.externalId());
                        link.setString(6, k.shardId());
                        link.addBatch();
                    }
                    link.executeBatch();
                    c.commit();
                }
            }
            return rows.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
