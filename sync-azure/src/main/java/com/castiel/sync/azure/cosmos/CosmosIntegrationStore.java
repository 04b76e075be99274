package com.castiel.sync.azure.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link IntegrationStore} on a Cosmos DB container partitioned by {@code /tenantId}.
 *
 * <p><b>Documents.</b> An integration is its Castiel document (id = integration id, partition =
 * its tenant) plus {@code docType: "integration"} and {@code dueAt}, the next sync time as
 * fixed-width text ({@code ""} when unscheduled) that the scheduler's due query filters and
 * orders on. {@link Integration#version()} is the store's counter; each update is a replace
 * conditional on the etag read with the version it checked, so of two writers from the same
 * version exactly one wins (the scheduler's claim of a due integration).
 *
 * <p><b>Cross-tenant uniqueness.</b> Integration ids and webhook endpoint keys are unique across
 * tenants, which a partition-scoped unique key cannot express. They are reserved as documents in
 * one registry partition ({@value #REGISTRY_PARTITION}); both reservations of a new integration
 * are made in one transactional batch before the integration itself is written. A reservation
 * left behind by a crash between the two writes (or by a lost delete) is recognised because the
 * integration it names does not hold it, and is reclaimed once older than
 * {@link #ORPHAN_GRACE} by the injected clock; endpoint-key lookups always confirm the key on
 * the integration itself.
 *
 * <p>Tenant ids starting with {@code ~} are reserved for the registry. Thread-safe.
 */
public final class CosmosIntegrationStore implements IntegrationStore {

    static final String INTEGRATION = "integration";
    static final String REGISTRY_PARTITION = "~registry";
    /** How long an unconfirmed reservation is respected before it may be reclaimed. */
    public static final Duration ORPHAN_GRACE = Duration.ofMinutes(5);
    private static final String ID_RESERVATION = "integrationIdReservation";
    private static final String KEY_RESERVATION = "endpointKeyReservation";
    private static final String DUE_AT = "dueAt";

    private final CosmosContainer container;
    private final Clock clock;

    public CosmosIntegrationStore(CosmosContainer container, Clock clock) {
        this.container = Objects.requireNonNull(container, "container");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Integration> get(TenantId tenant, IntegrationId id) {
        return readDocument(tenant.value(), id.value()).filter(CosmosIntegrationStore::isIntegration).map(CosmosIntegrationStore::toIntegration);
    }

    @Override
    public Optional<Integration> findByEndpointKey(String endpointKey) {
        if (endpointKey == null || endpointKey.isEmpty()) {
            return Optional.empty();
        }
        return readDocument(REGISTRY_PARTITION, keyReservationId(endpointKey))
                .flatMap(r -> get(TenantId.of(r.path("ownerTenantId").asText()), IntegrationId.of(r.path("integrationId").asText())))
                .filter(i -> endpointKey.equals(i.structuredData().webhookEndpointKey()));
    }

    @Override
    public Integration create(Integration integration) {
        requireOrdinaryTenant(integration.tenantId());
        Instant now = clock.instant();
        Integration stored = new Integration(integration.id(), integration.tenantId(), integration.name(), integration.structuredData(), 1,
                integration.createdAt() != null ? integration.createdAt() : now, now);
        String key = stored.structuredData().webhookEndpointKey();
        reserve(stored, true, key);
        try {
            ObjectNode written = container.createItem(toDocument(stored), partition(stored.tenantId().value()), new CosmosItemRequestOptions()).getItem();
            return toIntegration(written);
        } catch (CosmosException e) {
            release(stored.tenantId(), stored.id(), true, key);
            if (CosmosFailures.is(e, CosmosFailures.CONFLICT)) {
                throw conflict(stored.id(), "integration " + stored.id() + " already exists");
            }
            throw CosmosFailures.translate("creating integration " + stored.id(), e);
        }
    }

    @Override
    public Integration update(Integration integration) {
        ObjectNode current = readDocument(integration.tenantId().value(), integration.id().value())
                .filter(CosmosIntegrationStore::isIntegration)
                .orElseThrow(() -> conflict(integration.id(), "integration " + integration.id() + " does not exist in tenant " + integration.tenantId()));
        Integration stored = toIntegration(current);
        if (stored.version() != integration.version()) {
            throw conflict(integration.id(), "integration " + integration.id() + " was changed concurrently: version " + integration.version()
                    + " is stale, stored version is " + stored.version());
        }
        String oldKey = stored.structuredData().webhookEndpointKey();
        String newKey = integration.structuredData().webhookEndpointKey();
        boolean keyChanged = !Objects.equals(oldKey, newKey);
        if (keyChanged && newKey != null) {
            reserve(integration, false, newKey);
        }
        Integration next = new Integration(integration.id(), integration.tenantId(), integration.name(), integration.structuredData(),
                stored.version() + 1, stored.createdAt(), clock.instant());
        CosmosItemRequestOptions ifMatch = new CosmosItemRequestOptions().setIfMatchETag(CosmosJson.etag(current));
        ObjectNode written;
        try {
            written = container.replaceItem(toDocument(next), next.id().value(), partition(next.tenantId().value()), ifMatch).getItem();
        } catch (CosmosException e) {
            if (keyChanged && newKey != null) {
                release(next.tenantId(), next.id(), false, newKey);
            }
            if (CosmosFailures.is(e, CosmosFailures.PRECONDITION_FAILED) || CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                throw conflict(next.id(), "integration " + next.id() + " was changed concurrently: version " + integration.version() + " is stale");
            }
            throw CosmosFailures.translate("updating integration " + next.id(), e);
        }
        if (keyChanged && oldKey != null) {
            release(next.tenantId(), next.id(), false, oldKey);
        }
        return toIntegration(written);
    }

    @Override
    public List<Integration> findDue(Instant now, int limit) {
        requirePositive(limit);
        SqlQuerySpec query = new SqlQuerySpec("SELECT TOP @limit * FROM c WHERE c.docType = @type AND c.structuredData.status = @active"
                + " AND c.dueAt <= @now ORDER BY c.dueAt",
                List.of(new SqlParameter("@limit", limit), new SqlParameter("@type", INTEGRATION),
                        new SqlParameter("@active", IntegrationStatus.ACTIVE.wire()), new SqlParameter("@now", CosmosJson.sortable(now))));
        return query(query, new CosmosQueryRequestOptions());
    }

    @Override
    public List<Integration> list(TenantId tenant) {
        SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.tenantId = @tenant AND c.docType = @type ORDER BY c.id",
                List.of(new SqlParameter("@tenant", tenant.value()), new SqlParameter("@type", INTEGRATION)));
        return query(query, new CosmosQueryRequestOptions().setPartitionKey(partition(tenant.value())));
    }

    @Override
    public List<Integration> listAll(IntegrationId afterId, int limit) {
        requirePositive(limit);
        List<SqlParameter> params = new ArrayList<>(List.of(new SqlParameter("@limit", limit), new SqlParameter("@type", INTEGRATION)));
        String after = "";
        if (afterId != null) {
            after = " AND c.id > @after";
            params.add(new SqlParameter("@after", afterId.value()));
        }
        SqlQuerySpec query = new SqlQuerySpec("SELECT TOP @limit * FROM c WHERE c.docType = @type" + after + " ORDER BY c.id", params);
        return query(query, new CosmosQueryRequestOptions());
    }

    @Override
    public void delete(TenantId tenant, IntegrationId id) {
        Optional<Integration> current = get(tenant, id);
        if (current.isEmpty()) {
            return;
        }
        try {
            container.deleteItem(id.value(), partition(tenant.value()), new CosmosItemRequestOptions());
        } catch (CosmosException e) {
            if (!CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                throw CosmosFailures.translate("deleting integration " + id, e);
            }
        }
        release(tenant, id, true, current.get().structuredData().webhookEndpointKey());
    }

    // ---- reservations ----

    /**
     * Reserves the integration id (when {@code withId}) and the endpoint key (when non-null) for
     * {@code integration} in one batch, reclaiming orphaned reservations once.
     */
    private void reserve(Integration integration, boolean withId, String endpointKey) {
        for (int attempt = 1; ; attempt++) {
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partition(REGISTRY_PARTITION));
            if (withId) {
                batch.createItemOperation(reservation(ID_RESERVATION, idReservationId(integration.id()), integration));
            }
            if (endpointKey != null) {
                batch.createItemOperation(reservation(KEY_RESERVATION, keyReservationId(endpointKey), integration));
            }
            if (batch.getOperations().isEmpty()) {
                return;
            }
            CosmosBatchResponse response;
            try {
                response = container.executeCosmosBatch(batch);
            } catch (CosmosException e) {
                throw CosmosFailures.translate("reserving integration " + integration.id(), e);
            }
            if (response.isSuccessStatusCode()) {
                return;
            }
            List<CosmosBatchOperationResult> results = response.getResults();
            int failed = 0;
            while (failed < results.size() && results.get(failed).getStatusCode() == CosmosFailures.FAILED_DEPENDENCY) {
                failed++;
            }
            boolean idFailed = withId && failed == 0;
            String heldId = idFailed ? idReservationId(integration.id()) : keyReservationId(endpointKey);
            if (results.get(failed).getStatusCode() != CosmosFailures.CONFLICT) {
                throw new CosmosStoreException("Cosmos DB reservation for integration " + integration.id() + " failed with status "
                        + results.get(failed).getStatusCode(), results.get(failed).getStatusCode(), null);
            }
            // at most one reclaim per reservation: the id, then the key
            if (attempt <= 2 && reclaimIfOrphaned(heldId, idFailed ? null : endpointKey)) {
                continue;
            }
            throw conflict(integration.id(), idFailed
                    ? "integration id " + integration.id() + " is already used"
                    : "webhook endpoint key of integration " + integration.id() + " is already used by another integration");
        }
    }

    /**
     * Deletes a reservation whose integration does not hold it and that is older than the grace
     * period; true when it was deleted.
     */
    private boolean reclaimIfOrphaned(String reservationId, String endpointKey) {
        Optional<ObjectNode> held = readDocument(REGISTRY_PARTITION, reservationId);
        if (held.isEmpty()) {
            return true;
        }
        ObjectNode r = held.get();
        Optional<Integration> owner = get(TenantId.of(r.path("ownerTenantId").asText()), IntegrationId.of(r.path("integrationId").asText()));
        boolean holds = owner.isPresent() && (endpointKey == null || endpointKey.equals(owner.get().structuredData().webhookEndpointKey()));
        Instant claimedAt = Instant.parse(r.path("claimedAt").asText());
        if (holds || claimedAt.plus(ORPHAN_GRACE).isAfter(clock.instant())) {
            return false;
        }
        try {
            container.deleteItem(reservationId, partition(REGISTRY_PARTITION),
                    new CosmosItemRequestOptions().setIfMatchETag(CosmosJson.etag(r)));
            return true;
        } catch (CosmosException e) {
            if (CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                return true;
            }
            if (CosmosFailures.is(e, CosmosFailures.PRECONDITION_FAILED)) {
                return false;
            }
            throw CosmosFailures.translate("reclaiming reservation", e);
        }
    }

    /** Deletes the reservations that still name this integration; others are left alone. */
    private void release(TenantId tenant, IntegrationId id, boolean withId, String endpointKey) {
        List<String> ids = new ArrayList<>();
        if (withId) {
            ids.add(idReservationId(id));
        }
        if (endpointKey != null) {
            ids.add(keyReservationId(endpointKey));
        }
        for (String rid : ids) {
            Optional<ObjectNode> r = readDocument(REGISTRY_PARTITION, rid);
            if (r.isPresent() && r.get().path("integrationId").asText().equals(id.value())
                    && r.get().path("ownerTenantId").asText().equals(tenant.value())) {
                try {
                    container.deleteItem(rid, partition(REGISTRY_PARTITION),
                            new CosmosItemRequestOptions().setIfMatchETag(CosmosJson.etag(r.get())));
                } catch (CosmosException e) {
                    if (!CosmosFailures.is(e, CosmosFailures.NOT_FOUND) && !CosmosFailures.is(e, CosmosFailures.PRECONDITION_FAILED)) {
                        throw CosmosFailures.translate("releasing reservation", e);
                    }
                }
            }
        }
    }

    private ObjectNode reservation(String type, String id, Integration integration) {
        ObjectNode doc = SyncJson.object();
        doc.put(CosmosJson.ID, id);
        doc.put(CosmosJson.TENANT_ID, REGISTRY_PARTITION);
        doc.put(CosmosJson.DOC_TYPE, type);
        doc.put("ownerTenantId", integration.tenantId().value());
        doc.put("integrationId", integration.id().value());
        doc.put("claimedAt", clock.instant().toString());
        return doc;
    }

    private static String idReservationId(IntegrationId id) {
        return "integration~" + id.value();
    }

    /** Endpoint keys are secrets: the registry holds only their hash. */
    private static String keyReservationId(String endpointKey) {
        return "endpoint~" + CosmosJson.sha256(endpointKey);
    }

    // ---- plumbing ----

    private Optional<ObjectNode> readDocument(String partitionValue, String id) {
        try {
            return Optional.of(container.readItem(id, partition(partitionValue), new CosmosItemRequestOptions(), ObjectNode.class).getItem());
        } catch (CosmosException e) {
            if (CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                return Optional.empty();
            }
            throw CosmosFailures.translate("reading integration document", e);
        }
    }

    private List<Integration> query(SqlQuerySpec query, CosmosQueryRequestOptions options) {
        try {
            List<Integration> out = new ArrayList<>();
            container.queryItems(query, options, ObjectNode.class).forEach(doc -> out.add(toIntegration(doc)));
            return out;
        } catch (CosmosException e) {
            throw CosmosFailures.translate("querying integrations", e);
        }
    }

    private static boolean isIntegration(JsonNode doc) {
        return INTEGRATION.equals(doc.path(CosmosJson.DOC_TYPE).asText());
    }

    private static ObjectNode toDocument(Integration integration) {
        ObjectNode doc = CosmosJson.toDocument(integration, INTEGRATION);
        Instant next = integration.structuredData().nextSyncAt();
        doc.put(DUE_AT, next == null ? "" : CosmosJson.sortable(next));
        return doc;
    }

    private static Integration toIntegration(JsonNode doc) {
        ObjectNode copy = ((ObjectNode) doc).deepCopy();
        copy.remove(CosmosJson.DOC_TYPE);
        copy.remove(DUE_AT);
        return CosmosJson.fromDocument(copy, Integration.class);
    }

    private static PartitionKey partition(String value) {
        return new PartitionKey(value);
    }

    private static void requireOrdinaryTenant(TenantId tenant) {
        if (tenant.value().startsWith("~")) {
            throw new IllegalArgumentException("tenant ids starting with '~' are reserved by the Cosmos integration store: " + tenant);
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    private static StoreConflictException conflict(IntegrationId id, String message) {
        return new StoreConflictException(message, List.of(id.value()));
    }

    @Override
    public String toString() {
        return "CosmosIntegrationStore[" + container.getId() + "]";
    }
}
