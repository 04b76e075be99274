package com.castiel.sync.testkit.fake;

/**
 * Answers one routed request of a {@link FakeProviderServer}. Runs on a virtual thread, possibly
 * concurrently with other requests, so shared state must be thread-safe (the
 * {@link FakeRecordStore} is).
 *
 * <p>A handler may throw {@link RequestRejected} to answer an error response from deep inside
 * its logic; any other exception becomes a 500 and is recorded in
 * {@link FakeProviderServer#handlerFailures()} so a test can tell a fake's bug from a fault.
 */
@FunctionalInterface
public interface FakeHandler {

    FakeResponse handle(FakeRequest request);
}
