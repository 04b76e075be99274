package com.castiel.sync.spi;

/** What a {@link WriteRequest} does to the external record. */
public enum WriteKind {
    /** Create a new record; the result carries its new id. */
    CREATE,
    /** Change the fields given on an existing record, leaving others alone. */
    UPDATE,
    /** Create or update by {@link WriteRequest#upsertField()}; the result says which happened. */
    UPSERT,
    /** Delete the record. Deleting a record that is already gone is reported as {@code NotFound}. */
    DELETE
}
