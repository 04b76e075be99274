package com.castiel.sync.azure.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ShardStore;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.port.StoreConflictException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ShardStore} on a Cosmos DB container partitioned by {@code /tenantId}.
 *
 * <p><b>Documents.</b> A shard is stored as its Castiel document (the model's JSON, id = shard id)
 * plus {@code docType: "shard"}, {@code linkKeys} (one key per external link that has an external
 * id) and {@code linkScopes} (one per integration and entity it is linked to), which the lookups
 * query. The etag is Cosmos's {@code _etag}.
 *
 * <p><b>Link uniqueness.</b> Cosmos unique keys cannot index array elements, so every link with an
 * external id also owns a small document in the tenant's partition whose id is derived from the
 * link; creating it fails with 409 when another shard holds the link. A shard and its link
 * documents are always written together in one transactional batch (same partition), so they
 * never disagree.
 *
 * <p><b>Batches.</b> Cosmos transactional batches hold at most 100 operations, too few for a
 * page, so {@link #write} applies each write atomically with its links and stops at the first
 * conflict: writes before it stay applied (the port's non-transactional behaviour).
 *
 * <p><b>Queries</b> are parameterised, scoped to the tenant's partition and use only
 * {@code ARRAY_CONTAINS}, {@code EXISTS} subqueries, {@code TOP}, single-field {@code ORDER BY}
 * and {@code COUNT}.
 *
 * <p>Thread-safe (the Cosmos client is).
 */
public final class CosmosShardStore implements ShardStore {

    static final String SHARD = "shard";
    static final String LINK = "link";
    private static final String LINK_KEYS = "linkKeys";
    private static final String LINK_SCOPES = "linkScopes";
    private static final String LINK_ID_PREFIX = "~link~";
    /** Cosmos's limit on operations per transactional batch. */
    static final int MAX_BATCH_OPERATIONS = 100;
    /** External ids per lookup query; keeps the query text far below Cosmos's 256 KB limit. */
    static final int LOOKUP_CHUNK = 1000;
    private static final int UNCONDITIONAL_ATTEMPTS = 5;

    private final CosmosContainer container;

    public CosmosShardStore(CosmosContainer container) {
        this.container = Objects.requireNonNull(container, "container");
    }

    @Override
    public Map<String, Shard> findByExternalIds(TenantId tenant, IntegrationId integration, String externalEntity,
                                                Collection<String> externalIds) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(externalEntity, "externalEntity");
        Map<String, Shard> found = new HashMap<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(externalIds));
        for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
            Set<String> wanted = new HashSet<>(chunk);
            List<String> keys = chunk.stream().map(ext -> linkKey(integration, externalEntity, ext)).toList();
            SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                    + " AND EXISTS(SELECT VALUE k FROM k IN c.linkKeys WHERE ARRAY_CONTAINS(@keys, k))",
                    List.of(new SqlParameter("@tenant", tenant.value()), new SqlParameter("@type", SHARD), new SqlParameter("@keys", keys)));
            for (ObjectNode doc : query(tenant, query)) {
                Shard shard = toShard(doc);
                for (ExternalRelationship r : shard.externalRelationships()) {
                    if (r.integrationId().equals(integration) && r.externalEntity().equals(externalEntity)
                            && r.externalId() != null && wanted.contains(r.externalId())) {
                        found.put(r.externalId(), shard);
                    }
                }
            }
        }
        return found;
    }

    @Override
    public List<Shard> write(TenantId tenant, List<ShardWrite> writes) {
        Objects.requireNonNull(tenant, "tenant");
        for (ShardWrite w : writes) {
            Shard s = switch (w) {
                case ShardWrite.Insert i -> i.shard();
                case ShardWrite.Replace r -> r.shard();
                case ShardWrite.Delete d -> null;
            };
            if (s != null && !s.tenantId().equals(tenant)) {
                throw new IllegalArgumentException("shard " + s.id() + " belongs to tenant " + s.tenantId()
                        + ", not to " + tenant + "; nothing was written");
            }
        }
        List<Shard> written = new ArrayList<>(writes.size());
        for (ShardWrite w : writes) {
            written.add(switch (w) {
                case ShardWrite.Insert i -> insert(i.shard());
                case ShardWrite.Replace r -> replace(r.shard());
                case ShardWrite.Delete d -> {
                    delete(tenant, d.shardId(), d.etag());
                    yield null;
                }
            });
        }
        return written;
    }

    @Override
    public Optional<Shard> get(TenantId tenant, ShardId id) {
        return read(tenant, id.value()).filter(doc -> SHARD.equals(doc.path(CosmosJson.DOC_TYPE).asText())).map(CosmosShardStore::toShard);
    }

    @Override
    public List<Shard> listLinked(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        List<SqlParameter> params = new ArrayList<>(List.of(new SqlParameter("@tenant", tenant.value()),
                new SqlParameter("@type", SHARD), new SqlParameter("@scope", CosmosJson.key(integration.value(), externalEntity)),
                new SqlParameter("@limit", limit)));
        String after = "";
        if (afterShardId != null) {
            after = " AND c.id > @after";
            params.add(new SqlParameter("@after", afterShardId.value()));
        }
        SqlQuerySpec query = new SqlQuerySpec("SELECT TOP @limit * FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                + " AND ARRAY_CONTAINS(c.linkScopes, @scope)" + after + " ORDER BY c.id", params);
        return query(tenant, query).stream().map(CosmosShardStore::toShard).toList();
    }

    /** One indexed query on the relationships' {@code syncStatus}, instead of the port's scan of every linked shard. */
    @Override
    public List<Shard> listInConflict(TenantId tenant, IntegrationId integration, String externalEntity, ShardId afterShardId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        List<SqlParameter> params = new ArrayList<>(List.of(new SqlParameter("@tenant", tenant.value()), new SqlParameter("@type", SHARD),
                new SqlParameter("@integration", integration.value()), new SqlParameter("@entity", externalEntity),
                new SqlParameter("@conflict", SyncStatus.CONFLICT.wire()), new SqlParameter("@limit", limit)));
        String after = "";
        if (afterShardId != null) {
            after = " AND c.id > @after";
            params.add(new SqlParameter("@after", afterShardId.value()));
        }
        SqlQuerySpec query = new SqlQuerySpec("SELECT TOP @limit * FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                + " AND EXISTS(SELECT VALUE r FROM r IN c.external_relationships WHERE r.integrationId = @integration"
                + " AND r.externalEntity = @entity AND r.syncStatus = @conflict)" + after + " ORDER BY c.id", params);
        return query(tenant, query).stream().map(CosmosShardStore::toShard).toList();
    }

    @Override
    public long count(TenantId tenant, String shardTypeId) {
        List<SqlParameter> params = new ArrayList<>(List.of(new SqlParameter("@tenant", tenant.value()), new SqlParameter("@type", SHARD)));
        String byType = "";
        if (shardTypeId != null) {
            byType = " AND c.shardTypeId = @shardType";
            params.add(new SqlParameter("@shardType", shardTypeId));
        }
        SqlQuerySpec query = new SqlQuerySpec("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                + " AND NOT IS_DEFINED(c.deletedAt)" + byType, params);
        try {
            long total = 0;
            for (Long n : container.queryItems(query, partitionOptions(tenant), Long.class)) {
                total += n;
            }
            return total;
        } catch (CosmosException e) {
            throw CosmosFailures.translate("counting shards", e);
        }
    }

    // ---- writes ----

    private Shard insert(Shard shard) {
        Set<String> links = linkKeys(shard);
        requireBatchFits(shard, 1 + links.size());
        CosmosBatch batch = CosmosBatch.createCosmosBatch(partition(shard.tenantId()));
        batch.createItemOperation(toDocument(shard));
        for (String link : links) {
            batch.createItemOperation(linkDocument(shard.tenantId(), shard.id(), link));
        }
        CosmosBatchResponse response = execute(batch, "inserting shard " + shard.id());
        if (!response.isSuccessStatusCode()) {
            throw conflict(shard.id(), "insert of shard " + shard.id() + " conflicts with an existing shard or an external link held by another shard");
        }
        return toShard(response.getResults().get(0));
    }

    private Shard replace(Shard shard) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = read(shard.tenantId(), shard.id().value())
                    .filter(doc -> SHARD.equals(doc.path(CosmosJson.DOC_TYPE).asText()))
                    .orElseThrow(() -> conflict(shard.id(), "shard " + shard.id() + " does not exist; a replace never creates"));
            String currentEtag = CosmosJson.etag(current);
            if (shard.etag() != null && !shard.etag().equals(currentEtag)) {
                throw conflict(shard.id(), "shard " + shard.id() + " was changed concurrently (stale etag)");
            }
            Set<String> before = storedLinkKeys(current);
            Set<String> after = linkKeys(shard);
            List<String> removed = before.stream().filter(k -> !after.contains(k)).toList();
            List<String> added = after.stream().filter(k -> !before.contains(k)).toList();
            requireBatchFits(shard, 1 + removed.size() + added.size());
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partition(shard.tenantId()));
            batch.replaceItemOperation(shard.id().value(), toDocument(shard), ifMatch(currentEtag));
            for (String link : removed) {
                batch.deleteItemOperation(linkId(link));
            }
            for (String link : added) {
                batch.createItemOperation(linkDocument(shard.tenantId(), shard.id(), link));
            }
            CosmosBatchResponse response = execute(batch, "replacing shard " + shard.id());
            if (response.isSuccessStatusCode()) {
                return toShard(response.getResults().get(0));
            }
            if (raceOnUnconditionalWrite(shard.etag(), response) && attempt < UNCONDITIONAL_ATTEMPTS) {
                continue;
            }
            throw conflict(shard.id(), "replace of shard " + shard.id() + " lost a race or takes an external link held by another shard");
        }
    }

    private void delete(TenantId tenant, ShardId id, String etag) {
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> current = read(tenant, id.value()).filter(doc -> SHARD.equals(doc.path(CosmosJson.DOC_TYPE).asText()));
            if (current.isEmpty()) {
                return;
            }
            String currentEtag = CosmosJson.etag(current.get());
            if (etag != null && !etag.equals(currentEtag)) {
                throw conflict(id, "shard " + id + " was changed concurrently (stale etag); not deleted");
            }
            Set<String> links = storedLinkKeys(current.get());
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partition(tenant));
            batch.deleteItemOperation(id.value(), ifMatch(currentEtag));
            for (String link : links) {
                batch.deleteItemOperation(linkId(link));
            }
            CosmosBatchResponse response = execute(batch, "deleting shard " + id);
            if (response.isSuccessStatusCode()) {
                return;
            }
            if (raceOnUnconditionalWrite(etag, response) && attempt < UNCONDITIONAL_ATTEMPTS) {
                continue;
            }
            if (response.getResults().get(0).getStatusCode() == CosmosFailures.NOT_FOUND) {
                return;
            }
            throw conflict(id, "delete of shard " + id + " lost a race");
        }
    }

    /** An unconditional write whose read-then-write raced another writer: read again and retry. */
    private static boolean raceOnUnconditionalWrite(String requestedEtag, CosmosBatchResponse response) {
        return requestedEtag == null && response.getResults().get(0).getStatusCode() == CosmosFailures.PRECONDITION_FAILED;
    }

    private CosmosBatchResponse execute(CosmosBatch batch, String operation) {
        try {
            CosmosBatchResponse response = container.executeCosmosBatch(batch);
            if (!response.isSuccessStatusCode()) {
                int status = response.getResults().stream().mapToInt(CosmosBatchOperationResult::getStatusCode)
                        .filter(s -> s >= 400 && s != CosmosFailures.FAILED_DEPENDENCY).findFirst().orElse(response.getStatusCode());
                if (status != CosmosFailures.CONFLICT && status != CosmosFailures.PRECONDITION_FAILED && status != CosmosFailures.NOT_FOUND) {
                    throw new CosmosStoreException("Cosmos DB " + operation + " failed with status " + status, status, null);
                }
            }
            return response;
        } catch (CosmosException e) {
            throw CosmosFailures.translate(operation, e);
        }
    }

    private static void requireBatchFits(Shard shard, int operations) {
        if (operations > MAX_BATCH_OPERATIONS) {
            throw new IllegalArgumentException("shard " + shard.id() + " needs " + operations + " operations to write with its links; Cosmos DB"
                    + " batches hold at most " + MAX_BATCH_OPERATIONS + " (too many external links on one shard)");
        }
    }

    // ---- reads ----

    private Optional<ObjectNode> read(TenantId tenant, String id) {
        try {
            return Optional.of(container.readItem(id, partition(tenant), new CosmosItemRequestOptions(), ObjectNode.class).getItem());
        } catch (CosmosException e) {
            if (CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                return Optional.empty();
            }
            throw CosmosFailures.translate("reading shard " + id, e);
        }
    }

    private List<ObjectNode> query(TenantId tenant, SqlQuerySpec query) {
        try {
            List<ObjectNode> out = new ArrayList<>();
            container.queryItems(query, partitionOptions(tenant), ObjectNode.class).forEach(out::add);
            return out;
        } catch (CosmosException e) {
            throw CosmosFailures.translate("querying shards", e);
        }
    }

    private static CosmosQueryRequestOptions partitionOptions(TenantId tenant) {
        return new CosmosQueryRequestOptions().setPartitionKey(partition(tenant));
    }

    // ---- documents ----

    private static ObjectNode toDocument(Shard shard) {
        ObjectNode doc = CosmosJson.toDocument(shard.withEtag(null), SHARD);
        var keys = doc.putArray(LINK_KEYS);
        linkKeys(shard).forEach(keys::add);
        var scopes = doc.putArray(LINK_SCOPES);
        shard.externalRelationships().stream().map(r -> CosmosJson.key(r.integrationId().value(), r.externalEntity()))
                .distinct().forEach(scopes::add);
        return doc;
    }

    private static Shard toShard(JsonNode doc) {
        ObjectNode copy = ((ObjectNode) doc).deepCopy();
        copy.remove(CosmosJson.DOC_TYPE);
        copy.remove(LINK_KEYS);
        copy.remove(LINK_SCOPES);
        return CosmosJson.fromDocument(copy, Shard.class).withEtag(CosmosJson.etag(doc));
    }

    private static Shard toShard(CosmosBatchOperationResult result) {
        return toShard(result.getItem(ObjectNode.class));
    }

    private static ObjectNode linkDocument(TenantId tenant, ShardId shard, String linkKey) {
        ObjectNode doc = com.castiel.sync.model.SyncJson.object();
        doc.put(CosmosJson.ID, linkId(linkKey));
        doc.put(CosmosJson.TENANT_ID, tenant.value());
        doc.put(CosmosJson.DOC_TYPE, LINK);
        doc.put("shardId", shard.value());
        doc.put("linkKey", linkKey);
        return doc;
    }

    private static Set<String> linkKeys(Shard shard) {
        Set<String> keys = new LinkedHashSet<>();
        for (ExternalRelationship r : shard.externalRelationships()) {
            if (r.externalId() != null) {
                keys.add(linkKey(r.integrationId(), r.externalEntity(), r.externalId()));
            }
        }
        return keys;
    }

    private static Set<String> storedLinkKeys(JsonNode doc) {
        Set<String> keys = new LinkedHashSet<>();
        doc.path(LINK_KEYS).forEach(k -> keys.add(k.asText()));
        return keys;
    }

    static String linkKey(IntegrationId integration, String entity, String externalId) {
        return CosmosJson.key(integration.value(), entity, externalId);
    }

    static String linkId(String linkKey) {
        return LINK_ID_PREFIX + CosmosJson.sha256(linkKey);
    }

    private static PartitionKey partition(TenantId tenant) {
        return new PartitionKey(tenant.value());
    }

    private static CosmosBatchItemRequestOptions ifMatch(String etag) {
        return new CosmosBatchItemRequestOptions().setIfMatchETag(etag);
    }

    private static StoreConflictException conflict(ShardId id, String message) {
        return new StoreConflictException(message, List.of(id.value()));
    }

    @Override
    public String toString() {
        return "CosmosShardStore[" + container.getId() + "]";
    }
}
