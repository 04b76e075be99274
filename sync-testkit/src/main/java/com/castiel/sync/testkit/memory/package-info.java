/**
 * In-memory implementations of every port in {@code com.castiel.sync.port}, with the same
 * semantics as the durable backends (each passes its suite in
 * {@code com.castiel.sync.testkit.contract}). For tests, the demo and pipeline benchmarks; all
 * are thread-safe and take their time from an injected {@link java.time.Clock} where they make
 * time decisions.
 */
package com.castiel.sync.testkit.memory;
