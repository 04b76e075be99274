package com.castiel.sync.model;

/**
 * One record that failed alone during a sync, kept in the run history so an operator can see
 * which record and field broke and why.
 *
 * @param externalEntity provider entity
 * @param externalId provider record id
 * @param field external or shard field at fault, {@code null} when not field-specific
 * @param message what went wrong
 */
public record RecordError(String externalEntity, String externalId, String field, String message) {
}
