package com.castiel.sync.standalone.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on a connection lent by {@link SqliteDatabase}. The connection must not be kept,
 * closed or used from another thread after the work returns; transactions are managed by the
 * database, not by the work.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Connection connection) throws SQLException;
}
