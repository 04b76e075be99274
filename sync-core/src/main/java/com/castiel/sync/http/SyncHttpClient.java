package com.castiel.sync.http;

import java.util.List;
import java.util.Objects;

/**
 * An HTTP client made of an ordered interceptor chain over a transport. The first interceptor
 * sees the call first and the reply last. Thread-safe when its interceptors are.
 */
public final class SyncHttpClient {

    private final List<HttpInterceptor> interceptors;
    private final HttpTransport transport;

    public SyncHttpClient(List<HttpInterceptor> interceptors, HttpTransport transport) {
        this.interceptors = List.copyOf(interceptors);
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Sends a call through the chain.
     *
     * @return the reply, which the chain's classifier (if any) has accepted as a success
     * @throws com.castiel.sync.spi.SyncException for classified failures
     */
    public HttpReply send(HttpCall call) {
        return proceed(0, call);
    }

    private HttpReply proceed(int index, HttpCall call) {
        if (index == interceptors.size()) {
            return transport.exchange(call);
        }
        return interceptors.get(index).intercept(call, next -> proceed(index + 1, next));
    }

    /** The interceptors, in order (for diagnostics and tests). */
    public List<HttpInterceptor> interceptors() {
        return interceptors;
    }
}
