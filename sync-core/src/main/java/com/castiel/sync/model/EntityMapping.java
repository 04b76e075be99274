package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps one external entity (an sObject type, a Dataverse table, a Graph resource) to one shard
 * type.
 *
 * @param externalEntity provider entity name, e.g. {@code Account}
 * @param shardTypeId Castiel shard type the records become
 * @param fieldMappings the mapped fields; only these are read, hashed and written back
 * @param createNew when false, inbound records without an existing shard are skipped (counted
 *     {@code skipped}) instead of creating one
 * @param deleteBehavior what happens to a shard whose external record is deleted
 * @param externalIdField optional provider field used for upserts by external id on write-back
 * @param syncDirection direction given to relationships this mapping creates; {@code null}
 *     means bidirectional when the integration has write-back enabled, inbound otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntityMapping(
        String externalEntity,
        String shardTypeId,
        List<FieldMapping> fieldMappings,
        Boolean createNew,
        DeleteBehavior deleteBehavior,
        String externalIdField,
        SyncDirection syncDirection) {

    public EntityMapping {
        Objects.requireNonNull(externalEntity, "externalEntity");
        Objects.requireNonNull(shardTypeId, "shardTypeId");
        fieldMappings = fieldMappings == null ? List.of() : List.copyOf(fieldMappings);
        createNew = createNew == null ? Boolean.TRUE : createNew;
        deleteBehavior = deleteBehavior == null ? DeleteBehavior.SOFT_DELETE : deleteBehavior;
    }

    public static EntityMapping of(String externalEntity, String shardTypeId, List<FieldMapping> fields) {
        return new EntityMapping(externalEntity, shardTypeId, fields, true, DeleteBehavior.SOFT_DELETE, null, null);
    }

    public EntityMapping withCreateNew(boolean value) {
        return new EntityMapping(externalEntity, shardTypeId, fieldMappings, value, deleteBehavior, externalIdField, syncDirection);
    }

    public EntityMapping withDeleteBehavior(DeleteBehavior value) {
        return new EntityMapping(externalEntity, shardTypeId, fieldMappings, createNew, value, externalIdField, syncDirection);
    }

    public EntityMapping withSyncDirection(SyncDirection value) {
        return new EntityMapping(externalEntity, shardTypeId, fieldMappings, createNew, deleteBehavior, externalIdField, value);
    }

    /** Whether inbound records without a shard create one. */
    public boolean createsNew() {
        return createNew;
    }

    /** External field names read inbound, in mapping order, without duplicates. */
    public List<String> inboundExternalFields() {
        return fieldMappings.stream().filter(FieldMapping::inbound).map(FieldMapping::externalField).distinct().toList();
    }

    /** External field names that write-back may send, in mapping order, without duplicates. */
    public List<String> outboundExternalFields() {
        return fieldMappings.stream().filter(FieldMapping::outbound).map(FieldMapping::externalField).distinct().toList();
    }

    /** The mapping for a shard field path, if any. */
    public Optional<FieldMapping> forShardField(String shardField) {
        return fieldMappings.stream().filter(f -> f.shardField().equals(shardField)).findFirst();
    }
}
