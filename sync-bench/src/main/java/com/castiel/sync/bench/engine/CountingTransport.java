package com.castiel.sync.bench.engine;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.HttpTransport;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's HTTP transport with counters: exchanges, token grants among them (calls to an
 * OAuth {@code /token} endpoint), bytes received, refusals (403 and 429 answers), and the first query the adapter sent (so the limit measurements can replay exactly
 * the same query). Thread-safe.
 */
public final class CountingTransport implements HttpTransport {

    private final HttpTransport delegate;
    private final LongAdder exchanges = new LongAdder();
    private final LongAdder tokenGrants = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicReference<String> firstQuery = new AtomicReference<>();

    public CountingTransport(HttpTransport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public HttpReply exchange(HttpCall call) {
        exchanges.increment();
        if (call.uri().getRawPath().endsWith("/token")) {
            tokenGrants.increment();
        }
        if ("GET".equals(call.method()) && call.uri().getRawPath().endsWith("/query") && call.uri().getRawQuery() != null) {
            firstQuery.compareAndSet(null, call.uri().getRawPath() + "?" + call.uri().getRawQuery());
        }
        HttpReply reply = delegate.exchange(call);
        bytesIn.add(reply.bodyLength());
        if (reply.status() == 403 || reply.status() == 429) {
            refused.increment();
        }
        return reply;
    }

    public long exchanges() {
        return exchanges.sum();
    }

    /** Exchanges with an OAuth token endpoint (counted in {@link #exchanges()} too). */
    public long tokenGrants() {
        return tokenGrants.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Answers 403 or 429: the provider refused the call (rate or request limits). */
    public long refused() {
        return refused.sum();
    }

    /** Path and raw query of the first {@code query} call, or {@code null}. */
    public String firstQuery() {
        return firstQuery.get();
    }
}
