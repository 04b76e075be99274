package com.castiel.sync.azure.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.castiel.sync.model.EntitySyncState;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncCheckpoint;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.RunStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link RunStore} on a Cosmos DB container partitioned by {@code /tenantId}.
 *
 * <p>In the tenant's partition: runs ({@code run~<runId>}, with {@code startedAtKey}, the start
 * time as fixed-width text, for newest-first history), the checkpoint of each integration
 * ({@code checkpoint~<integrationId>}) and entity sync states
 * ({@code entity~<integrationId>~<hash of entity>}). Every write is an upsert, durable when it
 * returns.
 *
 * <p>Seen-sets of full scans are not tenant-addressed by the port, so each run gets its own
 * partition {@code ~seen~<runId>}: every {@link #markSeen} call writes its ids in documents of at
 * most {@value #SEEN_PER_DOCUMENT} ids, named after their content so a retried call rewrites the
 * same documents; {@link #seenAmong} is one parameterised {@code JOIN} query per chunk of probes;
 * {@link #clearSeen} deletes the partition's documents in batches of 100.
 *
 * <p>Thread-safe.
 */
public final class CosmosRunStore implements RunStore {

    static final String RUN = "run";
    static final String CHECKPOINT = "checkpoint";
    static final String ENTITY_STATE = "entityState";
    static final String SEEN = "seen";
    static final int SEEN_PER_DOCUMENT = 1000;
    private static final int PROBE_CHUNK = 1000;
    private static final String STARTED_AT_KEY = "startedAtKey";

    private final CosmosContainer container;

    public CosmosRunStore(CosmosContainer container) {
        this.container = Objects.requireNonNull(container, "container");
    }

    @Override
    public void saveRun(SyncRun run) {
        ObjectNode doc = wrap(runId(run.id()), run.tenantId().value(), RUN, run);
        doc.put("integrationId", run.integrationId().value());
        doc.put(STARTED_AT_KEY, CosmosJson.sortable(run.startedAt()));
        upsert(doc, run.tenantId().value(), "saving run " + run.id());
    }

    @Override
    public Optional<SyncRun> run(TenantId tenant, RunId id) {
        return read(tenant.value(), runId(id), RUN).map(doc -> unwrap(doc, SyncRun.class));
    }

    @Override
    public List<SyncRun> history(TenantId tenant, IntegrationId integration, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        SqlQuerySpec query = new SqlQuerySpec("SELECT TOP @limit * FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                + " AND c.integrationId = @integration ORDER BY c.startedAtKey DESC",
                List.of(new SqlParameter("@limit", limit), new SqlParameter("@tenant", tenant.value()), new SqlParameter("@type", RUN),
                        new SqlParameter("@integration", integration.value())));
        List<SyncRun> runs = new ArrayList<>();
        for (ObjectNode doc : query(tenant.value(), query, ObjectNode.class, "reading run history")) {
            runs.add(unwrap(doc, SyncRun.class));
        }
        return runs;
    }

    @Override
    public Optional<SyncCheckpoint> checkpoint(TenantId tenant, IntegrationId integration) {
        return read(tenant.value(), checkpointId(integration), CHECKPOINT).map(doc -> unwrap(doc, SyncCheckpoint.class));
    }

    @Override
    public void saveCheckpoint(SyncCheckpoint checkpoint) {
        upsert(wrap(checkpointId(checkpoint.integrationId()), checkpoint.tenantId().value(), CHECKPOINT, checkpoint),
                checkpoint.tenantId().value(), "saving the checkpoint of integration " + checkpoint.integrationId());
    }

    @Override
    public void clearCheckpoint(TenantId tenant, IntegrationId integration) {
        delete(tenant.value(), checkpointId(integration), "clearing the checkpoint of integration " + integration);
    }

    @Override
    public Optional<EntitySyncState> entityState(TenantId tenant, IntegrationId integration, String entity) {
        return read(tenant.value(), entityStateId(integration, entity), ENTITY_STATE).map(doc -> unwrap(doc, EntitySyncState.class));
    }

    @Override
    public void saveEntityState(EntitySyncState state) {
        upsert(wrap(entityStateId(state.integrationId(), state.entity()), state.tenantId().value(), ENTITY_STATE, state),
                state.tenantId().value(), "saving the sync state of " + state.entity());
    }

    @Override
    public void markSeen(RunId run, String entity, Collection<String> externalIds) {
        Objects.requireNonNull(entity, "entity");
        List<String> ids = new ArrayList<>(new TreeSet<>(externalIds));
        String partition = seenPartition(run);
        for (int from = 0; from < ids.size(); from += SEEN_PER_DOCUMENT) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + SEEN_PER_DOCUMENT));
            ObjectNode doc = SyncJson.object();
            doc.put(CosmosJson.ID, "seen~" + CosmosJson.sha256(entity + "\n" + String.join("\n", chunk)));
            doc.put(CosmosJson.TENANT_ID, partition);
            doc.put(CosmosJson.DOC_TYPE, SEEN);
            doc.put("entity", entity);
            ArrayNode array = doc.putArray("externalIds");
            chunk.forEach(array::add);
            upsert(doc, partition, "recording seen ids of run " + run);
        }
    }

    @Override
    public Set<String> seenAmong(RunId run, String entity, Collection<String> externalIds) {
        List<String> probes = new ArrayList<>(new HashSet<>(externalIds));
        Set<String> seen = new HashSet<>();
        String partition = seenPartition(run);
        for (int from = 0; from < probes.size(); from += PROBE_CHUNK) {
            List<String> chunk = probes.subList(from, Math.min(probes.size(), from + PROBE_CHUNK));
            SqlQuerySpec query = new SqlQuerySpec("SELECT VALUE i FROM c JOIN i IN c.externalIds WHERE c.tenantId = @partition"
                    + " AND c.docType = @type AND c.entity = @entity AND ARRAY_CONTAINS(@probes, i)",
                    List.of(new SqlParameter("@partition", partition), new SqlParameter("@type", SEEN),
                            new SqlParameter("@entity", entity), new SqlParameter("@probes", chunk)));
            seen.addAll(query(partition, query, String.class, "reading seen ids of run " + run));
        }
        return seen;
    }

    @Override
    public void clearSeen(RunId run) {
        String partition = seenPartition(run);
        SqlQuerySpec query = new SqlQuerySpec("SELECT VALUE c.id FROM c WHERE c.tenantId = @partition",
                List.of(new SqlParameter("@partition", partition)));
        List<String> ids = query(partition, query, String.class, "listing seen ids of run " + run);
        for (int from = 0; from < ids.size(); from += CosmosShardStore.MAX_BATCH_OPERATIONS) {
            CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(partition));
            ids.subList(from, Math.min(ids.size(), from + CosmosShardStore.MAX_BATCH_OPERATIONS)).forEach(batch::deleteItemOperation);
            try {
                CosmosBatchResponse response = container.executeCosmosBatch(batch);
                if (!response.isSuccessStatusCode() && response.getResults().stream()
                        .anyMatch(r -> r.getStatusCode() >= 400 && r.getStatusCode() != CosmosFailures.FAILED_DEPENDENCY
                                && r.getStatusCode() != CosmosFailures.NOT_FOUND)) {
                    throw new CosmosStoreException("Cosmos DB clearing seen ids of run " + run + " failed with status "
                            + response.getStatusCode(), response.getStatusCode(), null);
                }
            } catch (CosmosException e) {
                throw CosmosFailures.translate("clearing seen ids of run " + run, e);
            }
        }
    }

    // ---- plumbing ----

    private static ObjectNode wrap(String id, String partition, String type, Object value) {
        ObjectNode doc = SyncJson.object();
        doc.put(CosmosJson.ID, id);
        doc.put(CosmosJson.TENANT_ID, partition);
        doc.put(CosmosJson.DOC_TYPE, type);
        doc.set("value", SyncJson.mapper().valueToTree(value));
        return doc;
    }

    private static <T> T unwrap(JsonNode doc, Class<T> type) {
        return CosmosJson.fromDocument(doc.get("value"), type);
    }

    private void upsert(ObjectNode doc, String partition, String operation) {
        try {
            container.upsertItem(doc, new PartitionKey(partition), new CosmosItemRequestOptions());
        } catch (CosmosException e) {
            throw CosmosFailures.translate(operation, e);
        }
    }

    private Optional<ObjectNode> read(String partition, String id, String type) {
        try {
            ObjectNode doc = container.readItem(id, new PartitionKey(partition), new CosmosItemRequestOptions(), ObjectNode.class).getItem();
            return type.equals(doc.path(CosmosJson.DOC_TYPE).asText()) ? Optional.of(doc) : Optional.empty();
        } catch (CosmosException e) {
            if (CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                return Optional.empty();
            }
            throw CosmosFailures.translate("reading " + type + " " + id, e);
        }
    }

    private void delete(String partition, String id, String operation) {
        try {
            container.deleteItem(id, new PartitionKey(partition), new CosmosItemRequestOptions());
        } catch (CosmosException e) {
            if (!CosmosFailures.is(e, CosmosFailures.NOT_FOUND)) {
                throw CosmosFailures.translate(operation, e);
            }
        }
    }

    private <T> List<T> query(String partition, SqlQuerySpec query, Class<T> type, String operation) {
        try {
            List<T> out = new ArrayList<>();
            container.queryItems(query, new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(partition)), type).forEach(out::add);
            return out;
        } catch (CosmosException e) {
            throw CosmosFailures.translate(operation, e);
        }
    }

    private static String runId(RunId id) {
        return "run~" + id.value();
    }

    private static String checkpointId(IntegrationId integration) {
        return "checkpoint~" + integration.value();
    }

    /** Entity names are provider text (may hold characters Cosmos ids cannot): hashed. */
    private static String entityStateId(IntegrationId integration, String entity) {
        return "entity~" + integration.value() + "~" + CosmosJson.sha256(entity);
    }

    private static String seenPartition(RunId run) {
        return "~seen~" + run.value();
    }

    @Override
    public String toString() {
        return "CosmosRunStore[" + container.getId() + "]";
    }
}
