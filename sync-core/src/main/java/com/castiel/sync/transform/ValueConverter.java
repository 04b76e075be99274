package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Converts the values of one field between a provider's wire form and the shard's canonical form,
 * for one {@link FieldType} and wire format. Obtained from {@link Conversions#forType}.
 *
 * <p>Implementations are immutable and thread-safe, build every formatter up front, and never
 * receive Java {@code null}, JSON null or a missing node: absent values are the caller's business
 * (defaults, required checks). Returned nodes are never shared with the input when the input is
 * a container, so callers may place them in documents they later change.
 *
 * <p>Canonical shard forms, chosen so equal content always has one representation:
 * <ul>
 *   <li>string: JSON text;</li>
 *   <li>number: a long node when the value is integral and fits, else a decimal node without
 *       trailing zeros; never a double;</li>
 *   <li>integer: a long node;</li>
 *   <li>boolean: a boolean node;</li>
 *   <li>date: text {@code yyyy-MM-dd};</li>
 *   <li>datetime: UTC text with exactly three fraction digits, {@code 2013-05-20T20:49:32.000Z}
 *       (the shape JavaScript's {@code Date.toISOString()} gives, so other Castiel services read
 *       and write the same text); finer precision is truncated to milliseconds;</li>
 *   <li>json: the node itself.</li>
 * </ul>
 */
public interface ValueConverter {

    /** The field type this converter produces on the shard side. */
    FieldType type();

    /**
     * Converts a provider value to the canonical shard form.
     *
     * @return the canonical value, or JSON null when the provider value means "no value"
     *     (blank text for any type other than string)
     * @throws InvalidValueException when the value cannot be read as this type and format
     */
    JsonNode toShard(JsonNode wireValue);

    /**
     * Brings a shard value into canonical form. Shards are also edited by people and other
     * services, so this accepts what {@link #toShard} accepts with the default format (ISO text,
     * numeric text for numbers…), not only canonical values.
     *
     * @return the canonical value, or JSON null for blank text in a non-string field
     * @throws InvalidValueException when the value cannot be read as this type
     */
    JsonNode canonical(JsonNode shardValue);

    /**
     * Converts a canonical shard value (the output of {@link #canonical}) to the provider's wire
     * form.
     *
     * @throws InvalidValueException when the value cannot be expressed in the wire format
     */
    JsonNode toExternal(JsonNode canonicalValue);
}
