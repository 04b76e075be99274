/**
 * Abstract JUnit 5 suites that state the ports' contracts as executable specifications. Every
 * implementation of a port (in-memory, SQLite, Cosmos DB, Key Vault…) extends the matching suite
 * in its own test sources and implements the factory method; the suite's tests then run against
 * it. Each test checks one documented behaviour and is named after it. Time is driven through a
 * {@link com.castiel.sync.testkit.time.MutableClock}; nothing sleeps.
 */
package com.castiel.sync.testkit.contract;
