package com.castiel.sync.hostfixtures;

import com.castiel.sync.http.HttpReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reply shorthands for scripted transports. */
public final class Replies {

    private Replies() {
    }

    public static HttpReply status(int status) {
        return new HttpReply(status, Map.of(), null);
    }

    public static HttpReply status(int status, String header, String value) {
        return new HttpReply(status, Map.of(header, List.of(value)), null);
    }

    public static HttpReply json(int status, String json) {
        return new HttpReply(status, Map.of("content-type", List.of("application/json")), json.getBytes(StandardCharsets.UTF_8));
    }
}
