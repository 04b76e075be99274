package com.castiel.sync.http;

/**
 * One cross-cutting concern around an HTTP exchange (auth header, refresh-and-replay, rate-limit
 * acquire, retries, logging). Interceptors run in the order the client was built with; each
 * either returns a reply, calls {@link Chain#proceed} (any number of times, for retries), or
 * throws a {@link com.castiel.sync.spi.SyncException}.
 *
 * <p>Implementations are thread-safe and never log header values, query strings or bodies
 * that may carry secrets.
 */
@FunctionalInterface
public interface HttpInterceptor {

    HttpReply intercept(HttpCall call, Chain chain);

    /** The rest of the chain, ending in the transport. */
    @FunctionalInterface
    interface Chain {
        HttpReply proceed(HttpCall call);
    }
}
