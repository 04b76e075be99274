package com.castiel.sync.standalone.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard: one static page with its script and style, read from the class path once. The
 * page calls the admin API itself; it holds no data. A content security policy limits it to its
 * own origin and forbids inline script.
 */
final class DashboardPage {

    private static final String BASE = "/com/castiel/sync/standalone/server/dashboard/";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, Asset> assets = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/dashboard", load("index.html", "text/html; charset=utf-8"),
            "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"));

    boolean serves(String path) {
        return assets.containsKey(path);
    }

    boolean handle(String method, String path, Response response, Callback callback) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return HttpReplies.text(response, callback, 405, "use GET");
        }
        Asset a = assets.get(path);
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        return HttpReplies.send(response, callback, 200, a.contentType(), method.equals("HEAD") ? new byte[0] : a.bytes());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardPage.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset " + name + " is missing from the class path");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Asset(byte[] bytes, String contentType) {
    }
}
