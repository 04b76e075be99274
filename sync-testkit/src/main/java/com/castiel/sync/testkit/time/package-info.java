/**
 * Controllable time for tests: a {@link com.castiel.sync.testkit.time.MutableClock} to inject
 * wherever production code takes a {@link java.time.Clock}, and a
 * {@link com.castiel.sync.testkit.time.ManualSleeper} that moves it instead of waiting.
 */
package com.castiel.sync.testkit.time;
