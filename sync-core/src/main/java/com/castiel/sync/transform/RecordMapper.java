package com.castiel.sync.transform;

import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiled form of one {@link EntityMapping}: converts records between a provider's fields
 * and a shard's {@code structuredData}, in both directions, and hashes the mapped content.
 *
 * <p>Build one per mapping per sync and share it: it is immutable and thread-safe, and all
 * parsing of paths, formats, defaults and value maps happens in the constructor, so a broken
 * mapping fails there, before any record is read, and per-record work is lookups and conversions.
 *
 * <h2>Values</h2>
 * Values travel between the steps as a <em>flat</em> object keyed by shard field path
 * ({@code {"name": "Acme", "finance.revenue": 12.5}}), in the canonical shard forms described on
 * {@link ValueConverter}. Value maps translate picklist and enum values (external to shard inbound,
 * shard to external outbound); a value the map does not list passes through unchanged, because
 * picklists gain values in the provider long before someone updates the mapping, and refusing
 * those records would stall the sync. When several external values map to one shard value,
 * write-back sends the first of them in code-unit order. A shard value spelled like an external
 * value ({@code "Hot"} when the map says {@code Hot -> hot}) is sent as it is and comes back as
 * its translation ({@code "hot"}); defaults belong to the shard's vocabulary for that reason.
 *
 * <h2>Errors</h2>
 * A value that cannot be converted fails that record alone with
 * {@link SyncException.Validation}, whose message names the field and the value
 * ({@code AnnualRevenue: 'abc' is not a number}) and whose {@code field()} is the external field
 * inbound and the shard field outbound. Nothing is partially written: a failing call returns
 * nothing. A mapping that cannot be compiled raises {@link SyncException.Configuration} naming the
 * entity and field.
 *
 * <p>Arguments are never mutated, and results share no mutable nodes with them.
 */
public final class RecordMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EntityMapping mapping;
    private final CompiledField[] inbound;
    private final CompiledField[] outbound;
    private final String[] sortedInboundKeys;
    private final Map<String, FieldPath> shardPaths;
    private final List<String> inboundShardFields;
    private final List<String> writableExternalFields;
    private final List<String> outboundShardFields;
    private final Set<String> inboundTopLevelFields;

    /**
     * Compiles a mapping.
     *
     * @throws SyncException.Configuration when a field mapping has a malformed path, a format
     *     that does not apply to its type, a default or value-map value its type cannot hold, two
     *     inbound mappings write the same shard field or one inside another ({@code a} and
     *     {@code a.b}), or two outbound mappings write the same external field
     */
    public RecordMapper(EntityMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        List<CompiledField> in = new ArrayList<>();
        List<CompiledField> out = new ArrayList<>();
        Map<String, FieldPath> paths = new HashMap<>();
        Map<String, CompiledField> outByExternal = new HashMap<>();
        for (FieldMapping field : mapping.fieldMappings()) {
            CompiledField compiled;
            try {
                compiled = CompiledField.compile(field);
            } catch (IllegalArgumentException e) {
                throw configuration(field, e.getMessage());
            }
            paths.putIfAbsent(compiled.shardField, compiled.shardPath);
            if (field.inbound()) {
                for (CompiledField other : in) {
                    if (other.shardPath.equals(compiled.shardPath)) {
                        throw configuration(field, "shard field '" + field.shardField() + "' is already written by the inbound mapping of '"
                                + other.externalField + "'");
                    }
                    if (other.shardPath.contains(compiled.shardPath) || compiled.shardPath.contains(other.shardPath)) {
                        throw configuration(field, "shard field '" + field.shardField() + "' overlaps '" + other.shardField
                                + "'; one would overwrite the other");
                    }
                }
                in.add(compiled);
            }
            // a nested external path names a field of a related record (Owner.Name is the owning
            // User's name): providers do not accept it in a write of this record (Salesforce wants
            // OwnerId, Dataverse an @odata.bind), and writing through would change every record
            // that shares the related one. Such mappings are read-only.
            if (field.outbound() && !compiled.externalPath.isNested()) {
                CompiledField previous = outByExternal.putIfAbsent(compiled.externalField, compiled);
                if (previous != null) {
                    throw configuration(field, "external field '" + field.externalField() + "' is already written back from shard field '"
                            + previous.shardField + "'");
                }
                out.add(compiled);
            }
        }
        this.inbound = in.toArray(CompiledField[]::new);
        this.outbound = out.toArray(CompiledField[]::new);
        this.sortedInboundKeys = in.stream().map(f -> f.shardField).sorted().toArray(String[]::new);
        this.shardPaths = Map.copyOf(paths);
        this.inboundShardFields = in.stream().map(f -> f.shardField).toList();
        this.writableExternalFields = out.stream().map(f -> f.externalField).toList();
        this.outboundShardFields = out.stream().map(f -> f.shardField).distinct().toList();
        Set<String> topLevel = new HashSet<>();
        for (String f : mapping.inboundExternalFields()) {
            int dot = f.indexOf('.');
            topLevel.add(dot < 0 ? f : f.substring(0, dot));
        }
        this.inboundTopLevelFields = Set.copyOf(topLevel);
    }

    /** The mapping this was compiled from. */
    public EntityMapping mapping() {
        return mapping;
    }

    /** Shard field paths {@link #toShard} produces and {@link #extract} reads, in mapping order. */
    public List<String> inboundShardFields() {
        return inboundShardFields;
    }

    /**
     * The top-level external fields the inbound mapping reads ({@code Owner} for {@code Owner.Name}):
     * a record that has all of them carries every mapped value; one that has none carries none.
     */
    public Set<String> inboundTopLevelFields() {
        return inboundTopLevelFields;
    }

    /**
     * Shard field paths {@link #extractOutbound} reads and {@link #toExternal} can send, in mapping
     * order: the outbound mappings without the read-only nested paths.
     */
    public List<String> outboundShardFields() {
        return outboundShardFields;
    }

    /**
     * External fields {@link #toExternal} can write, in mapping order: the outbound mappings
     * without the read-only nested paths.
     */
    public List<String> writableExternalFields() {
        return writableExternalFields;
    }

    /**
     * Converts a record's inbound-mapped fields to shard values.
     *
     * <p>A missing or null external field (a null object on a nested path included) takes the
     * mapping's default when one is configured, fails the record when the mapping is required,
     * and otherwise appears as JSON null, so clearing a field in the provider clears it in the
     * shard. Blank text counts as missing for every type but {@code string}. Callers holding only
     * part of a record (a webhook payload with the changed fields) must refetch it first, since
     * absent fields read as cleared. Tombstones carry no fields and are not mapped.
     *
     * @return the flat values in mapping order and their {@link #hash}
     * @throws SyncException.Validation naming the external field and its value when a value
     *     cannot be converted or a required value is missing; {@code field()} is the external field
     * @throws IllegalArgumentException when {@code record} is a tombstone
     */
    public MappedValues toShard(ExternalRecord record) {
        if (record.deleted()) {
            // mapping a tombstone would read every field as cleared and wipe the shard
            throw new IllegalArgumentException("record " + record.entity() + "/" + record.id()
                    + " is a deletion; apply the mapping's delete behaviour instead of mapping it");
        }
        ObjectNode fields = record.fields();
        ObjectNode values = NODES.objectNode();
        for (CompiledField field : inbound) {
            JsonNode value;
            try {
                JsonNode raw = field.externalPath.get(fields);
                value = raw == null || raw.isNull() ? NullNode.instance : field.inbound(raw);
            } catch (InvalidValueException e) {
                throw invalid(field.externalField, e);
            }
            values.set(field.shardField, defaultedOrRequired(field, value));
        }
        return new MappedValues(values, CanonicalJson.hashSorted(values, sortedInboundKeys));
    }

    /**
     * Converts only the inbound-mapped fields that are present in {@code externalFields} (an
     * explicit JSON null counts as present), exactly as {@link #toShard} would convert them:
     * null takes the default or fails a required field. Fields whose external path is absent are
     * left out of the result instead of reading as cleared.
     *
     * <p>Write-back uses it to predict what the next inbound read of a record returns for the
     * fields it just wrote, so the relationship can hold the hash that read will produce.
     *
     * @param externalFields provider fields, possibly a partial record (the body of a write)
     * @return flat shard values keyed by shard field path, in mapping order
     * @throws SyncException.Validation as {@link #toShard} does, naming the external field
     */
    public ObjectNode toShardPresent(ObjectNode externalFields) {
        Objects.requireNonNull(externalFields, "externalFields");
        ObjectNode values = NODES.objectNode();
        for (CompiledField field : inbound) {
            JsonNode raw;
            try {
                raw = field.externalPath.get(externalFields);
            } catch (InvalidValueException e) {
                throw invalid(field.externalField, e);
            }
            if (raw == null) {
                continue;
            }
            JsonNode value;
            try {
                value = raw.isNull() ? NullNode.instance : field.inbound(raw);
            } catch (InvalidValueException e) {
                throw invalid(field.externalField, e);
            }
            values.set(field.shardField, defaultedOrRequired(field, value));
        }
        return values;
    }

    /** A converted inbound value, or for no value the field's default; a required field without either fails. */
    private static JsonNode defaultedOrRequired(CompiledField field, JsonNode value) {
        if (!value.isNull()) {
            return value;
        }
        if (field.defaultValue != null) {
            return field.defaultValue.isContainerNode() ? field.defaultValue.deepCopy() : field.defaultValue;
        }
        if (field.mapping.required()) {
            throw new SyncException.Validation(field.externalField + ": a value is required but the record has none",
                    field.externalField, SyncException.Details.NONE);
        }
        return value;
    }

    /**
     * Writes flat values into a copy of {@code structuredData} at their dotted paths, creating
     * objects on the way (and replacing JSON nulls on the way with objects). Every other key of
     * the original is kept. A JSON null value is written as null, clearing the field.
     *
     * @param structuredData the shard's current data; {@code null} for a new shard
     * @param flatValues values keyed by shard field path, usually from {@link #toShard}
     * @return a new document; neither argument is changed
     * @throws SyncException.Validation naming the shard field when a key is not a valid path or
     *     an object on its way holds a non-object value (overwriting it would lose data)
     */
    public ObjectNode applyTo(ObjectNode structuredData, ObjectNode flatValues) {
        ObjectNode copy = structuredData == null ? NODES.objectNode() : structuredData.deepCopy();
        for (Map.Entry<String, JsonNode> entry : flatValues.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            try {
                FieldPath path = shardPaths.get(key);
                if (path == null) {
                    path = FieldPath.of(key);
                }
                path.set(copy, value.isContainerNode() ? value.deepCopy() : value);
            } catch (InvalidValueException | IllegalArgumentException e) {
                throw new SyncException.Validation(key + ": " + e.getMessage(), key, SyncException.Details.NONE);
            }
        }
        return copy;
    }

    /**
     * Reads the inbound-mapped shard fields out of {@code structuredData} in the shape
     * {@link #toShard} produces: the same keys in the same order, absent values as JSON null.
     * Values are brought to canonical form where they can be (a number stored as {@code "12.50"}
     * reads as {@code 12.5}, a datetime without milliseconds gains them), so comparing them with
     * freshly mapped values finds only real changes; a value that does not fit its type, or a
     * path blocked by a non-object, is returned as found or as null respectively, never thrown.
     * Used as the Castiel side of three-way merges.
     */
    public ObjectNode extract(ObjectNode structuredData) {
        return read(structuredData, inbound);
    }

    /**
     * Reads the outbound-mapped shard fields (those {@link #toExternal} can write) out of
     * {@code structuredData} as flat values, like {@link #extract}: absent values are JSON null,
     * which {@link #toExternal} sends as an explicit null. Write-back of a create may want to drop
     * the nulls first so provider-side defaults apply.
     */
    public ObjectNode extractOutbound(ObjectNode structuredData) {
        return read(structuredData, outbound);
    }

    private static ObjectNode read(ObjectNode structuredData, CompiledField[] fields) {
        ObjectNode values = NODES.objectNode();
        for (CompiledField field : fields) {
            JsonNode value;
            try {
                value = structuredData == null ? null : field.shardPath.get(structuredData);
            } catch (InvalidValueException e) {
                value = null;
            }
            if (value == null || value.isNull()) {
                values.putNull(field.shardField);
                continue;
            }
            try {
                value = field.converter.canonical(value);
            } catch (InvalidValueException e) {
                value = value.isContainerNode() ? value.deepCopy() : value;
            }
            values.set(field.shardField, value);
        }
        return values;
    }

    /**
     * Builds the provider fields for a write-back from flat shard values: for each outbound
     * mapping, the shard value is brought to canonical form, reverse value-mapped, and converted to
     * the mapping's wire format ({@code salesforce} datetime {@code yyyy-MM-dd'T'HH:mm:ss.SSS+0000},
     * {@code iso8601}, {@code epoch_millis}, {@code epoch_seconds}, date {@code yyyy-MM-dd}, a
     * pattern), keyed by external field name.
     *
     * <p>A key absent from {@code flatShardValues} is not sent; a JSON null is sent as null, which
     * clears the provider's field. Mappings whose external field is a nested path
     * ({@code Owner.Name}) are read-only and never sent: the path names a field of a related
     * record, which the provider does not accept in this record's write.
     *
     * @param flatShardValues values keyed by shard field path ({@link #extractOutbound} gives them)
     * @param onlyShardFields when non-empty, only these shard fields are sent (the changed ones);
     *     {@code null} or empty sends every outbound field present
     * @return a new object of external field name to wire value
     * @throws SyncException.Validation naming the shard field and its value when a value cannot
     *     be converted; {@code field()} is the shard field
     */
    public ObjectNode toExternal(ObjectNode flatShardValues, Collection<String> onlyShardFields) {
        Collection<String> only = null;
        if (onlyShardFields != null && !onlyShardFields.isEmpty()) {
            only = onlyShardFields instanceof Set<String> ? onlyShardFields : new HashSet<>(onlyShardFields);
        }
        ObjectNode external = NODES.objectNode();
        for (CompiledField field : outbound) {
            if (only != null && !only.contains(field.shardField)) {
                continue;
            }
            JsonNode value = flatShardValues.get(field.shardField);
            if (value == null || value.isMissingNode()) {
                continue;
            }
            if (value.isNull()) {
                external.putNull(field.externalField);
                continue;
            }
            try {
                external.set(field.externalField, field.outbound(value));
            } catch (InvalidValueException e) {
                throw invalid(field.shardField, e);
            }
        }
        return external;
    }

    /**
     * The canonical content hash of flat values: hex SHA-256 over a canonical text in which key
     * order does not matter and numbers are exact decimals without trailing zeros ({@code 1},
     * {@code 1.0} and {@code 1.00} hash alike), so unchanged content hashes the same in every JVM
     * and run. Text and numbers differ ({@code "1"} is not {@code 1}); JSON null is a value.
     */
    public static String hash(ObjectNode flatValues) {
        return CanonicalJson.hash(Objects.requireNonNull(flatValues, "flatValues"));
    }

    /**
     * Whether two values are the same content by the rules of {@link #hash}: numbers compare by
     * value, objects regardless of key order; Java null, a missing node and JSON null are equal.
     * Jackson's {@code equals} does not do this ({@code IntNode 1} differs from
     * {@code DecimalNode 1.0}), and values reread from storage come back as other node types.
     */
    public static boolean sameValue(JsonNode a, JsonNode b) {
        return CanonicalJson.text(a).equals(CanonicalJson.text(b));
    }

    private SyncException.Configuration configuration(FieldMapping field, String problem) {
        return new SyncException.Configuration("entity mapping " + mapping.externalEntity() + " -> " + mapping.shardTypeId()
                + ", field " + field.externalField() + " -> " + field.shardField() + ": " + problem);
    }

    private static SyncException.Validation invalid(String field, InvalidValueException e) {
        return new SyncException.Validation(field + ": " + e.getMessage(), field, SyncException.Details.NONE);
    }

    @Override
    public String toString() {
        return "RecordMapper[" + mapping.externalEntity() + " -> " + mapping.shardTypeId() + ", " + inbound.length + " inbound, "
                + outbound.length + " outbound fields]";
    }
}
