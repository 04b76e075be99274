package com.castiel.sync.http;

/**
 * Performs one exchange on the wire. Implementations map I/O failures into
 * {@link com.castiel.sync.spi.SyncException.Transient} ({@code TIMEOUT} for timeouts,
 * {@code CONNECTION_RESET} for resets and refused or closed connections) and never throw
 * checked exceptions.
 */
@FunctionalInterface
public interface HttpTransport {

    HttpReply exchange(HttpCall call);
}
