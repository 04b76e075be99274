package com.castiel.sync.http;

import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The transport over {@link java.net.http.HttpClient}: HTTP/1.1 (and HTTP/2 where offered),
 * whole-body exchanges, I/O failures mapped to {@link SyncException.Transient}.
 */
public final class JdkHttpTransport implements HttpTransport {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final Duration defaultTimeout;

    public JdkHttpTransport(HttpClient client, Duration defaultTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    }

    /** A transport with its own client: 10 s connect timeout, virtual-thread executor, no redirects. */
    public static JdkHttpTransport create(Duration connectTimeout, Duration defaultTimeout) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        return new JdkHttpTransport(client, defaultTimeout);
    }

    @Override
    public HttpReply exchange(HttpCall call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(call.uri())
                .timeout(call.timeout() != null ? call.timeout() : defaultTimeout)
                .method(call.method(), call.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        for (Map.Entry<String, List<String>> h : call.headers().entrySet()) {
            if (!RESTRICTED.contains(h.getKey())) {
                for (String v : h.getValue()) {
                    b.header(h.getKey(), v);
                }
            }
        }
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new HttpReply(r.statusCode(), r.headers().map(), r.body());
        } catch (HttpConnectTimeoutException e) {
            throw transientFailure(ErrorCode.TIMEOUT, "connect timed out: " + call.describe(), e);
        } catch (HttpTimeoutException e) {
            throw transientFailure(ErrorCode.TIMEOUT, "request timed out: " + call.describe(), e);
        } catch (ConnectException e) {
            throw transientFailure(ErrorCode.CONNECTION_RESET, "connection refused: " + call.describe(), e);
        } catch (IOException e) {
            throw transientFailure(ErrorCode.CONNECTION_RESET, "connection failed (" + e.getClass().getSimpleName() + "): " + call.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw transientFailure(ErrorCode.CONNECTION_RESET, "interrupted: " + call.describe(), e);
        }
    }

    private static SyncException.Transient transientFailure(ErrorCode code, String message, Throwable cause) {
        return new SyncException.Transient(code, message, null, SyncException.Details.NONE, cause);
    }
}
