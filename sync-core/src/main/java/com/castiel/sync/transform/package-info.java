/**
 * Declarative field transforms: turns an {@link com.castiel.sync.model.EntityMapping} into a
 * {@link com.castiel.sync.transform.RecordMapper} that maps provider records to shard values
 * (typed conversions, value maps, defaults, nested paths, direction), back again for write-back,
 * and hashes the mapped content so unchanged records are skipped.
 *
 * <p>The door is {@code RecordMapper} and {@code MappedValues}; {@code FieldPath},
 * {@code Conversions} and {@code ValueConverter} are public for callers that need one piece
 * (an adapter reading a dotted path, a merge comparing values). Everything here is pure and
 * thread-safe: no I/O, no clock, no shared mutable state. Per-value failures are
 * {@link com.castiel.sync.transform.InvalidValueException} inside the package and
 * {@link com.castiel.sync.spi.SyncException.Validation} (one record) at the door; a mapping that
 * cannot work is {@link com.castiel.sync.spi.SyncException.Configuration} when compiled.
 */
package com.castiel.sync.transform;
