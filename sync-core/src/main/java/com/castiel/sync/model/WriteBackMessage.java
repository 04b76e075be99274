package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A shard change to write back, as sent to {@code sync-outbound} with session id = integration id
 * (the seed's schema plus integration id, correlation id and attempt).
 *
 * @param shardId changed shard
 * @param tenantId its tenant
 * @param operation {@code create}, {@code update} or {@code delete}
 * @param changedFields shard field paths that changed; empty means every outbound field
 * @param externalSystem provider name
 * @param externalId external record id, for update and delete
 * @param integrationId integration whose relationship is written (a tenant may have two
 *     integrations of one provider)
 * @param triggeredAt when the shard changed
 * @param triggeredBy user id or {@code system}
 * @param correlationId correlation id
 * @param attempt 1 for the first attempt
 * @param externalEntity provider entity of the written relationship; lets a delete be written
 *     after the shard itself is gone, and picks the relationship when a shard links several
 *     entities of one integration. {@code null} on messages written before it existed: the
 *     shard's relationship to the integration decides then.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WriteBackMessage(
        ShardId shardId,
        TenantId tenantId,
        Operation operation,
        List<String> changedFields,
        String externalSystem,
        String externalId,
        IntegrationId integrationId,
        Instant triggeredAt,
        String triggeredBy,
        String correlationId,
        int attempt,
        String externalEntity) {

    public WriteBackMessage {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(externalSystem, "externalSystem");
        Objects.requireNonNull(integrationId, "integrationId");
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
        attempt = Math.max(1, attempt);
    }

    /** A message without {@code externalEntity} (the seed's fields plus integration, correlation id and attempt). */
    public WriteBackMessage(ShardId shardId, TenantId tenantId, Operation operation, List<String> changedFields, String externalSystem,
                            String externalId, IntegrationId integrationId, Instant triggeredAt, String triggeredBy, String correlationId,
                            int attempt) {
        this(shardId, tenantId, operation, changedFields, externalSystem, externalId, integrationId, triggeredAt, triggeredBy,
                correlationId, attempt, null);
    }

    public WriteBackMessage nextAttempt() {
        return new WriteBackMessage(shardId, tenantId, operation, changedFields, externalSystem, externalId, integrationId, triggeredAt, triggeredBy, correlationId, attempt + 1, externalEntity);
    }

    public WriteBackMessage replayed() {
        return new WriteBackMessage(shardId, tenantId, operation, changedFields, externalSystem, externalId, integrationId, triggeredAt, triggeredBy, correlationId, 1, externalEntity);
    }
}
