package com.castiel.sync.standalone.server;

import com.castiel.sync.model.SyncJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes whole responses: status, content type, body, in one step. */
final class HttpReplies {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    private HttpReplies() {
    }

    static boolean send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    static boolean text(Response response, Callback callback, int status, String body) {
        return send(response, callback, status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    static boolean json(Response response, Callback callback, int status, Object body) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        return send(response, callback, status, JSON, SyncJson.writeBytes(body));
    }

    /** {@code {"error": message}} with a status. */
    static boolean error(Response response, Callback callback, int status, String message) {
        return json(response, callback, status, Map.of("error", message));
    }
}
