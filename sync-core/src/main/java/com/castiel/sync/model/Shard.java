package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A Castiel shard: a tenant-scoped JSON document of one shard type, with its links to external
 * records.
 *
 * <p>{@code structuredData} is treated as immutable once the shard is built: code that changes
 * data builds a new node ({@code deepCopy()}) and a new shard.
 *
 * @param id shard id
 * @param tenantId owning tenant
 * @param shardTypeId shard type
 * @param structuredData the document body
 * @param externalRelationships links to external records ({@code external_relationships})
 * @param createdAt creation time
 * @param updatedAt last modification time
 * @param deletedAt set when soft-deleted because the external record was deleted
 * @param etag store version for optimistic concurrency; {@code null} before the first write
 * @param updatedBy who made the last change: a user id, {@code system}, or
 *     {@code sync:<integrationId>} for the engine's own inbound writes. Write-back triggers ignore
 *     changes whose origin is the engine ({@link #ENGINE_ORIGIN_PREFIX}), which is what keeps
 *     inbound syncs from echoing back to the provider.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Shard(
        ShardId id,
        TenantId tenantId,
        String shardTypeId,
        ObjectNode structuredData,
        @JsonProperty("external_relationships") List<ExternalRelationship> externalRelationships,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        String etag,
        String updatedBy) {

    /** Prefix of {@link #updatedBy()} for changes written by the engine's inbound sync. */
    public static final String ENGINE_ORIGIN_PREFIX = "sync:";

    public Shard {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(shardTypeId, "shardTypeId");
        Objects.requireNonNull(structuredData, "structuredData");
        externalRelationships = externalRelationships == null ? List.of() : List.copyOf(externalRelationships);
    }

    /** The relationship for an external record of an integration, if linked. */
    public Optional<ExternalRelationship> relationship(IntegrationId integration, String entity, String externalId) {
        return externalRelationships.stream().filter(r -> r.matches(integration, entity, externalId)).findFirst();
    }

    /** The first relationship owned by an integration, if any. */
    public Optional<ExternalRelationship> relationshipFor(IntegrationId integration) {
        return externalRelationships.stream().filter(r -> r.integrationId().equals(integration)).findFirst();
    }

    @JsonIgnore
    public boolean isDeleted() {
        return deletedAt != null;
    }

    public Shard withData(ObjectNode data, Instant now) {
        return new Shard(id, tenantId, shardTypeId, data, externalRelationships, createdAt, now, deletedAt, etag, updatedBy);
    }

    /**
     * Replaces the relationship to the same integration, entity and external id (or an unlinked
     * one awaiting its external id), or appends it.
     */
    public Shard withRelationship(ExternalRelationship relationship) {
        List<ExternalRelationship> next = new ArrayList<>(externalRelationships.size() + 1);
        boolean replaced = false;
        for (ExternalRelationship r : externalRelationships) {
            if (!replaced && r.integrationId().equals(relationship.integrationId())
                    && r.externalEntity().equals(relationship.externalEntity())
                    && (Objects.equals(r.externalId(), relationship.externalId()) || r.externalId() == null)) {
                next.add(relationship);
                replaced = true;
            } else {
                next.add(r);
            }
        }
        if (!replaced) {
            next.add(relationship);
        }
        return new Shard(id, tenantId, shardTypeId, structuredData, next, createdAt, updatedAt, deletedAt, etag, updatedBy);
    }

    /** Applies {@code change} to every relationship of {@code integration}. */
    public Shard mapRelationships(IntegrationId integration, UnaryOperator<ExternalRelationship> change) {
        List<ExternalRelationship> next = externalRelationships.stream()
                .map(r -> r.integrationId().equals(integration) ? change.apply(r) : r)
                .toList();
        return new Shard(id, tenantId, shardTypeId, structuredData, next, createdAt, updatedAt, deletedAt, etag, updatedBy);
    }

    /** Drops the relationship to one external record. */
    public Shard withoutRelationship(IntegrationId integration, String entity, String externalId) {
        List<ExternalRelationship> next = externalRelationships.stream().filter(r -> !r.matches(integration, entity, externalId)).toList();
        return new Shard(id, tenantId, shardTypeId, structuredData, next, createdAt, updatedAt, deletedAt, etag, updatedBy);
    }

    public Shard softDeleted(Instant at) {
        return new Shard(id, tenantId, shardTypeId, structuredData, externalRelationships, createdAt, at, at, etag, updatedBy);
    }

    public Shard restored(Instant at) {
        return new Shard(id, tenantId, shardTypeId, structuredData, externalRelationships, createdAt, at, null, etag, updatedBy);
    }

    public Shard withEtag(String newEtag) {
        return new Shard(id, tenantId, shardTypeId, structuredData, externalRelationships, createdAt, updatedAt, deletedAt, newEtag, updatedBy);
    }

    /** A copy recording who made this change. */
    public Shard changedBy(String actor, Instant at) {
        return new Shard(id, tenantId, shardTypeId, structuredData, externalRelationships, createdAt, at, deletedAt, etag, actor);
    }

    /** True when the last change was written by the engine's inbound sync. */
    @JsonIgnore
    public boolean changedByEngine() {
        return updatedBy != null && updatedBy.startsWith(ENGINE_ORIGIN_PREFIX);
    }

    public Shard withUpdatedAt(Instant at) {
        return new Shard(id, tenantId, shardTypeId, structuredData, externalRelationships, createdAt, at, deletedAt, etag, updatedBy);
    }
}
