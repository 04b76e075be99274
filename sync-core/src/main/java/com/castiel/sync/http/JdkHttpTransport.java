package com.castiel.sync.http;

import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        Duration timeout = call.timeout() != null ? call.timeout() : defaultTimeout;
        // The client's request timeout stops at the response headers; a body that stalls
        // afterwards would hang the caller. Bound the whole exchange and abort it on expiry.
        // The body is kept in the buffers it arrives in: a large page is never copied into one array.
        CompletableFuture<HttpResponse<List<byte[]>>> exchange = client.sendAsync(b.build(), info -> {
            List<byte[]> chunks = new ArrayList<>();
            return HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk -> chunk.ifPresent(chunks::add)), done -> chunks);
        });
        try {
            HttpResponse<List<byte[]>> r = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return HttpReply.ofChunks(r.statusCode(), r.headers().map(), r.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw transientFailure(ErrorCode.TIMEOUT, "response not complete within " + timeout.toMillis() + " ms: " + call.describe(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof HttpConnectTimeoutException) {
                throw transientFailure(ErrorCode.TIMEOUT, "connect timed out: " + call.describe(), cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw transientFailure(ErrorCode.TIMEOUT, "request timed out: " + call.describe(), cause);
            }
            if (cause instanceof ConnectException) {
                throw transientFailure(ErrorCode.CONNECTION_RESET, "connection refused: " + call.describe(), cause);
            }
            throw transientFailure(ErrorCode.CONNECTION_RESET, "connection failed (" + cause.getClass().getSimpleName() + "): " + call.describe(), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw transientFailure(ErrorCode.CONNECTION_RESET, "interrupted: " + call.describe(), e);
        }
    }

    private static SyncException.Transient transientFailure(ErrorCode code, String message, Throwable cause) {
        return new SyncException.Transient(code, message, null, SyncException.Details.NONE, cause);
    }
}
