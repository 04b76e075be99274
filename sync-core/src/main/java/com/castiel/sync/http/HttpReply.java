package com.castiel.sync.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete HTTP response: status, headers (names in lower case) and body.
 *
 * <p>The body may be held as the chunks it arrived in ({@link #ofChunks}): a query page of a
 * megabyte is then never copied into one array (with G1, an array of half a region or more is
 * allocated outside the young generation and makes a collection of its own). A parser reads it
 * with {@link #bodyStream()}; {@link #body()} joins the chunks on first use and keeps the result
 * (two threads racing may both join; they get equal arrays).
 * Thread-safe; the body bytes must not be changed.
 */
public final class HttpReply {

    private final int status;
    private final Map<String, List<String>> headers;
    private final List<byte[]> chunks;
    private final int length;
    private volatile byte[] joined;

    /**
     * @param status status code
     * @param headers header name → values (names are stored in lower case)
     * @param body body bytes, {@code null} or empty for none
     */
    public HttpReply(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body == null || body.length == 0 ? List.of() : List.of(body));
    }

    private HttpReply(int status, Map<String, List<String>> headers, List<byte[]> chunks) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        this.status = status;
        this.headers = Collections.unmodifiableMap(copy);
        this.chunks = List.copyOf(chunks);
        long total = 0;
        for (byte[] c : this.chunks) {
            total += c.length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a reply body of " + total + " bytes is too large");
        }
        this.length = (int) total;
        if (this.chunks.isEmpty()) {
            joined = new byte[0];
        } else if (this.chunks.size() == 1) {
            joined = this.chunks.get(0);
        }
    }

    /** A reply whose body is the concatenation of {@code chunks}, kept as they are. */
    public static HttpReply ofChunks(int status, Map<String, List<String>> headers, List<byte[]> chunks) {
        Objects.requireNonNull(chunks, "chunks");
        return new HttpReply(status, headers, chunks.stream().filter(c -> c.length > 0).toList());
    }

    public int status() {
        return status;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body in one array (joined from its chunks on first use); empty for none. */
    public byte[] body() {
        byte[] b = joined;
        if (b == null) {
            b = new byte[length];
            int at = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, b, at, c.length);
                at += c.length;
            }
            joined = b;
        }
        return b;
    }

    /** The body as a stream over its chunks, without joining them; a fresh stream on each call. */
    public InputStream bodyStream() {
        byte[] b = joined;
        if (b != null) {
            return new ByteArrayInputStream(b);
        }
        return new SequenceInputStream(Collections.enumeration(chunks.stream().map(ByteArrayInputStream::new).toList()));
    }

    /** The body's size in bytes. */
    public int bodyLength() {
        return length;
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** Status, header names and body size: cookies and token responses are secrets. */
    @Override
    public String toString() {
        return "HttpReply[" + status + ", headers=" + headers.keySet() + ", body=" + length + " bytes]";
    }
}
