package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One configured connection between a tenant and an external system, stored as a Castiel
 * document: identity at the top level, configuration and sync state in {@code structuredData}.
 *
 * @param id integration id
 * @param tenantId owning tenant
 * @param name human-readable name, optional
 * @param structuredData configuration and sync state
 * @param version store version for optimistic concurrency; stores increment it on every
 *     successful conditional write and reject writes that carry a stale value
 * @param createdAt creation time
 * @param updatedAt last modification time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Integration(
        IntegrationId id,
        TenantId tenantId,
        String name,
        IntegrationData structuredData,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public Integration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(structuredData, "structuredData");
    }

    @JsonIgnore
    public String provider() {
        return structuredData.providerName();
    }

    @JsonIgnore
    public IntegrationStatus status() {
        return structuredData.status();
    }

    @JsonIgnore
    public boolean writeBackEnabled() {
        return structuredData.writeBack().enabled();
    }

    /** The entity mapping for an external entity. */
    public Optional<EntityMapping> mappingForEntity(String externalEntity) {
        return structuredData.entityMappings().stream().filter(m -> m.externalEntity().equals(externalEntity)).findFirst();
    }

    /** The entity mapping that produces a shard type. */
    public Optional<EntityMapping> mappingForShardType(String shardTypeId) {
        return structuredData.entityMappings().stream().filter(m -> m.shardTypeId().equals(shardTypeId)).findFirst();
    }

    /** A copy with different structured data; the version is left for the store to advance. */
    public Integration withData(UnaryOperator<IntegrationData> change) {
        return new Integration(id, tenantId, name, change.apply(structuredData), version, createdAt, updatedAt);
    }

    public Integration withVersion(long newVersion, Instant when) {
        return new Integration(id, tenantId, name, structuredData, newVersion, createdAt, when);
    }
}
