package com.castiel.sync.testkit.fake;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request as the {@link RequestJournal} remembers it: safe to print (secrets redacted, body
 * reduced to its size).
 *
 * @param sequence position in the journal, from 1
 * @param receivedAt when it arrived, on the server's clock
 * @param method HTTP method, upper case
 * @param path decoded path
 * @param query decoded query with secret parameters redacted
 * @param headers lower-case header names with secret values redacted
 * @param bodySize request body length in bytes
 * @param status status answered, {@code 0} when the connection was reset instead
 * @param fault the injected fault that answered it ({@link Fault#name()}), or {@code null} when
 *     the route answered
 */
public record JournalEntry(
        long sequence,
        Instant receivedAt,
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        int bodySize,
        int status,
        String fault) implements RequestView {

    public JournalEntry {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** True when an injected fault, not the route, answered this request. */
    public boolean faulted() {
        return fault != null;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + method + " " + path + (query.isEmpty() ? "" : " " + query)
                + " -> " + (status == 0 ? "reset" : status) + (fault == null ? "" : " [fault " + fault + "]");
    }
}
