package com.castiel.sync.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Gives every attempt a response timeout: calls that set none get the chain's default, so no
 * exchange can hang a worker. A call's own timeout (a long export) is kept. Thread-safe.
 */
public final class RequestTimeout implements HttpInterceptor {

    private final Duration defaultTimeout;

    public RequestTimeout(Duration defaultTimeout) {
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive, got " + defaultTimeout);
        }
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public HttpReply intercept(HttpCall call, Chain chain) {
        return chain.proceed(call.timeout() == null ? call.withTimeout(defaultTimeout) : call);
    }
}
