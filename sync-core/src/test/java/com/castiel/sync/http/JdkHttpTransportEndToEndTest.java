package com.castiel.sync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.hostfixtures.RecordingSleeper;
import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chain over the real JDK transport against a real server on loopback. */
@Timeout(30)
class JdkHttpTransportEndToEndTest {

    private final MutableClock clock = MutableClock.at("2026-11-02T10:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService executor;
    private JdkHttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/flaky", this::dropFirstConnection);
        server.createContext("/slow", this::neverAnswerInTime);
        server.createContext("/throttled", this::throttleFirst);
        server.createContext("/stalled-body", this::stallMidBody);
        server.start();
        transport = JdkHttpTransport.create(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void dropFirstConnection(HttpExchange exchange) throws IOException {
        if (hits.getAndIncrement() == 0) {
            // promise 100 bytes, send 10, then drop the connection: it dies mid-exchange
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"partial\"".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            exchange.close();
            return;
        }
        answer(exchange, 200, "{\"ok\":true}");
    }

    private void stallMidBody(HttpExchange exchange) throws IOException {
        // Headers and half the body arrive at once; the rest only when the test ends.
        exchange.sendResponseHeaders(200, 20);
        exchange.getResponseBody().write("{\"half\":".getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    private void neverAnswerInTime(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer(exchange, 200, "{}");
    }

    private void throttleFirst(HttpExchange exchange) throws IOException {
        if (hits.getAndIncrement() == 0) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            answer(exchange, 429, "{\"code\":429}");
            return;
        }
        answer(exchange, 200, "{\"ok\":true}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private SyncHttpClient client(RequestRetryPolicy policy) {
        return new SyncHttpClient(List.of(new RequestRetry(policy, clock, sleeper::sleep, () -> 0.5),
                new ReplyClassification(new StatusClassifier("reference"), clock)), transport);
    }

    @Test
    void a_connection_dropped_mid_exchange_is_a_connection_reset_and_is_retried() {
        HttpReply reply = client(RequestRetryPolicy.DEFAULT).send(HttpCall.get(uri("/flaky")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.bodyText()).isEqualTo("{\"ok\":true}");
        assertThat(hits).hasValue(2);
        assertThat(sleeper.sleeps()).hasSize(1);
    }

    @Test
    void a_dropped_connection_without_retries_surfaces_as_connection_reset() {
        assertThatThrownBy(() -> client(RequestRetryPolicy.NONE).send(HttpCall.get(uri("/flaky"))))
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
                    assertThat(e.getMessage()).contains("GET http://127.0.0.1:").contains("/flaky");
                });
    }

    @Test
    void a_reply_slower_than_the_call_timeout_is_a_timeout() {
        HttpCall call = HttpCall.get(uri("/slow?token=abc")).withTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> client(RequestRetryPolicy.NONE).send(call))
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
                    assertThat(e.getMessage()).doesNotContain("token=abc");
                });
    }

    @Test
    void a_real_429_with_retry_after_is_waited_out_and_retried() {
        HttpReply reply = client(RequestRetryPolicy.DEFAULT).send(HttpCall.get(uri("/throttled")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void a_body_that_stalls_after_the_headers_is_a_timeout() {
        HttpCall call = HttpCall.get(uri("/stalled-body")).withTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> client(RequestRetryPolicy.NONE).send(call))
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }
}
