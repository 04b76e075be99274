package com.castiel.sync.standalone.store.sqlite;

import java.util.List;
import java.util.Objects;

/**
 * One forward step of the database schema. Migrations are never edited once released: a change
 * to the schema is a new migration with the next version.
 *
 * @param version the schema version this step produces; versions start at 1 and have no gaps
 * @param description what the step does, recorded in {@code schema_version}
 * @param statements DDL and data statements, run in order inside one transaction
 */
public record SchemaMigration(int version, String description, List<String> statements) {

    public SchemaMigration {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("migration " + version + " has no statements");
        }
    }
}
