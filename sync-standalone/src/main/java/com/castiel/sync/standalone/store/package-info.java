/**
 * The standalone runtime's embedded backends. The door is
 * {@link com.castiel.sync.standalone.store.EmbeddedStorage}: it opens one SQLite file in a data
 * directory and hands out every storage port of {@code com.castiel.sync.port}: shards,
 * integrations, runs and checkpoints, the encrypted credential vault
 * ({@code com.castiel.sync.standalone.vault}) and the durable job queue with Azure Service Bus
 * semantics. Each implementation passes its contract suite of the test kit.
 *
 * <p>The SQLite plumbing they share (connections, write serialisation, durability levels,
 * schema migrations) is in {@code com.castiel.sync.standalone.store.sqlite}.
 */
package com.castiel.sync.standalone.store;
