/**
 * The SQLite database under the embedded stores: {@link com.castiel.sync.standalone.store.sqlite.SqliteDatabase}
 * (one writer connection with writes serialised in the JVM, a reader pool, WAL mode),
 * {@link com.castiel.sync.standalone.store.sqlite.Durability} (what a commit survives), and the
 * versioned {@link com.castiel.sync.standalone.store.sqlite.Schema} applied at open.
 */
package com.castiel.sync.standalone.store.sqlite;
