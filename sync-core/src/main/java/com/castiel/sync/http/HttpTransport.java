package com.castiel.sync.http;

/**
 * Performs one exchange on the wire. Implementations map I/O failures into
 * {@link com.castiel.sync.spi.SyncException.Transient} ({@code TIMEOUT} for timeouts,
 * {@code CONNECTION_RESET} for resets and refused or closed connections) and never throw
 * checked exceptions. They are thread-safe (one transport serves every integration of a host)
 * and never log header values or bodies.
 */
@FunctionalInterface
public interface HttpTransport {

    /**
     * Sends {@code call} and reads the whole reply, bounded by the call's timeout (or the
     * transport's default): a body stalled after the headers is a timeout too.
     *
     * @return the reply, whatever its status (classification is the chain's job); never {@code null}
     */
    HttpReply exchange(HttpCall call);
}
