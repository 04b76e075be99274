package com.castiel.sync.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.castiel.sync.azure.testing.CosmosTestDatabase;
import com.castiel.sync.azure.testing.CosmosTestServer;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.ShardWrite;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the Cosmos shard store does beyond the contract: link documents, the conflict query, batch limits. */
@ExtendWith(CosmosTestServer.class)
class CosmosShardStoreTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final Instant AT = Instant.parse("2025-01-15T10:00:00Z");

    private CosmosTestDatabase database;
    private CosmosShardStore store;

    @BeforeEach
    void open() {
        database = CosmosTestDatabase.create();
        store = new CosmosShardStore(database.containers().shards());
    }

    @AfterEach
    void drop() {
        database.close();
    }

    private static Shard shard(String id, ExternalRelationship... links) {
        Shard s = new Shard(ShardId.of(id), TENANT, "c_contact", SyncJson.object().put("name", id), List.of(), AT, AT, null, null, "user-1");
        for (ExternalRelationship r : links) {
            s = s.withRelationship(r);
        }
        return s;
    }

    private static ExternalRelationship link(String externalId) {
        return ExternalRelationship.link("reference", INTEGRATION, "contacts", externalId, SyncDirection.BIDIRECTIONAL);
    }

    private List<ObjectNode> linkDocuments() {
        List<ObjectNode> out = new ArrayList<>();
        database.containers().shards().queryItems("SELECT * FROM c WHERE c.docType = 'link'", new CosmosQueryRequestOptions(), ObjectNode.class)
                .forEach(out::add);
        return out;
    }

    @Test
    void eachExternalLinkOwnsOneLinkDocumentThatFollowsReplacesAndDeletes() {
        Shard written = store.write(TENANT, List.of(new ShardWrite.Insert(shard("s-1", link("001"), link("002"))))).getFirst();
        assertThat(linkDocuments()).hasSize(2).allSatisfy(d -> assertThat(d.get("shardId").asText()).isEqualTo("s-1"));

        Shard relinked = store.write(TENANT, List.of(new ShardWrite.Replace(written.withoutRelationship(INTEGRATION, "contacts", "001")))).getFirst();
        assertThat(linkDocuments()).singleElement().satisfies(d -> assertThat(d.get("linkKey").asText()).contains("002"));

        store.write(TENANT, List.of(new ShardWrite.Delete(relinked.id(), relinked.etag())));
        assertThat(linkDocuments()).isEmpty();
    }

    @Test
    void listInConflictFindsOnlyShardsWhoseRelationshipIsInConflict() {
        store.write(TENANT, List.of(
                new ShardWrite.Insert(shard("s-1", link("001").withStatus(SyncStatus.CONFLICT))),
                new ShardWrite.Insert(shard("s-2", link("002"))),
                new ShardWrite.Insert(shard("s-3", link("003").withStatus(SyncStatus.CONFLICT)))));

        List<Shard> first = store.listInConflict(TENANT, INTEGRATION, "contacts", null, 1);
        List<Shard> rest = store.listInConflict(TENANT, INTEGRATION, "contacts", first.getFirst().id(), 10);

        assertThat(first).extracting(s -> s.id().value()).containsExactly("s-1");
        assertThat(rest).extracting(s -> s.id().value()).containsExactly("s-3");
        assertThat(store.listInConflict(TenantId.of("tenant-b"), INTEGRATION, "contacts", null, 10)).isEmpty();
    }

    @Test
    void aShardWithMoreLinksThanABatchHoldsIsRefusedByName() {
        Shard crowded = shard("s-1");
        for (int i = 0; i < CosmosShardStore.MAX_BATCH_OPERATIONS; i++) {
            crowded = crowded.withRelationship(link(String.format("%03d", i)));
        }
        Shard tooMany = crowded;

        assertThatThrownBy(() -> store.write(TENANT, List.of(new ShardWrite.Insert(tooMany))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s-1").hasMessageContaining("100");
        assertThat(store.get(TENANT, ShardId.of("s-1"))).isEmpty();
    }
}
