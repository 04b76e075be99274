package com.castiel.sync.testkit.fake;

import java.util.Objects;

/**
 * Thrown by a {@link FakeHandler} (or by {@link FakeRequest#jsonBody()}) to answer
 * {@link #response()} instead of continuing. Control flow inside fakes only; never escapes the
 * server.
 */
public final class RequestRejected extends RuntimeException {

    private final transient FakeResponse response;

    public RequestRejected(FakeResponse response) {
        super("request rejected with HTTP " + Objects.requireNonNull(response, "response").status(), null, false, false);
        this.response = response;
    }

    public FakeResponse response() {
        return response;
    }
}
