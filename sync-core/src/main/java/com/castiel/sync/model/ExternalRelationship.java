package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * Links a shard to one record in an external system, with the state the engine needs for
 * incremental sync, echo suppression and three-way conflict resolution.
 *
 * @param system provider name, e.g. {@code salesforce} (the seed's {@code externalSystem})
 * @param integrationId integration that owns the link
 * @param externalEntity provider entity name
 * @param externalId provider record id; {@code null} until a write-back create returns one
 * @param syncDirection which way changes flow for this link
 * @param lastSyncedAt when the shard and the record last agreed
 * @param lastSyncedHash content hash of {@link #lastSyncedValues()}; a record whose mapped
 *     values hash to this is unchanged
 * @param lastSeenVersion external version (modstamp, ETag, change key) last applied or written
 * @param lastSeenModifiedAt external modification time last applied or written; the merge guard
 *     refuses inbound changes older than this
 * @param syncStatus result of the last sync attempt
 * @param error error text of the last failed attempt, {@code null} otherwise
 * @param lastSyncedValues shard-side values of the mapped fields at the last sync: the base of
 *     three-way merges
 * @param conflict a parked conflict when {@code syncStatus} is {@code conflict}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExternalRelationship(
        String system,
        IntegrationId integrationId,
        String externalEntity,
        String externalId,
        SyncDirection syncDirection,
        Instant lastSyncedAt,
        String lastSyncedHash,
        String lastSeenVersion,
        Instant lastSeenModifiedAt,
        SyncStatus syncStatus,
        String error,
        ObjectNode lastSyncedValues,
        PendingConflict conflict) {

    public ExternalRelationship {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(externalEntity, "externalEntity");
        syncDirection = syncDirection == null ? SyncDirection.INBOUND : syncDirection;
        syncStatus = syncStatus == null ? SyncStatus.SYNCED : syncStatus;
    }

    /** A link that has never been synced. */
    public static ExternalRelationship link(String system, IntegrationId integrationId, String entity, String externalId, SyncDirection direction) {
        return new ExternalRelationship(system, integrationId, entity, externalId, direction, null, null, null, null, SyncStatus.PENDING, null, null, null);
    }

    /** True when this link belongs to the given integration and external record. */
    public boolean matches(IntegrationId integration, String entity, String id) {
        return integrationId.equals(integration) && externalEntity.equals(entity) && Objects.equals(externalId, id);
    }

    /** Whether write-back applies to this link. */
    public boolean writesBack() {
        return syncDirection == SyncDirection.BIDIRECTIONAL || syncDirection == SyncDirection.OUTBOUND;
    }

    /** Records a successful sync of {@code values}, clearing any error or conflict. */
    public ExternalRelationship synced(Instant at, ObjectNode values, String hash, String version, Instant modifiedAt) {
        return new ExternalRelationship(system, integrationId, externalEntity, externalId, syncDirection, at, hash, version, modifiedAt, SyncStatus.SYNCED, null, values, null);
    }

    /**
     * Records that the external record was seen at a newer version whose mapped values equal the
     * last synced ones: only the version and stamp the merge guard compares move.
     */
    public ExternalRelationship seenAt(String version, Instant modifiedAt) {
        return new ExternalRelationship(system, integrationId, externalEntity, externalId, syncDirection, lastSyncedAt, lastSyncedHash, version, modifiedAt, syncStatus, error, lastSyncedValues, conflict);
    }

    public ExternalRelationship failed(String message) {
        return new ExternalRelationship(system, integrationId, externalEntity, externalId, syncDirection, lastSyncedAt, lastSyncedHash, lastSeenVersion, lastSeenModifiedAt, SyncStatus.FAILED, message, lastSyncedValues, conflict);
    }

    public ExternalRelationship inConflict(PendingConflict pending) {
        return new ExternalRelationship(system, integrationId, externalEntity, externalId, syncDirection, lastSyncedAt, lastSyncedHash, lastSeenVersion, lastSeenModifiedAt, SyncStatus.CONFLICT, null, lastSyncedValues, pending);
    }

    public ExternalRelationship withExternalId(String id) {
        return new ExternalRelationship(system, integrationId, externalEntity, id, syncDirection, lastSyncedAt, lastSyncedHash, lastSeenVersion, lastSeenModifiedAt, syncStatus, error, lastSyncedValues, conflict);
    }

    public ExternalRelationship withStatus(SyncStatus status) {
        return new ExternalRelationship(system, integrationId, externalEntity, externalId, syncDirection, lastSyncedAt, lastSyncedHash, lastSeenVersion, lastSeenModifiedAt, status, error, lastSyncedValues, conflict);
    }
}
