package com.castiel.sync.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.castiel.sync.azure.testing.CosmosTestDatabase;
import com.castiel.sync.azure.testing.CosmosTestServer;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.testkit.contract.IntegrationStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServer.class)
class CosmosIntegrationStoreContractTest extends IntegrationStoreContract {

    private CosmosTestDatabase database;

    @Override
    protected IntegrationStore createStore(MutableClock clock) {
        database = CosmosTestDatabase.create();
        return new CosmosIntegrationStore(database.containers().integrations(), clock);
    }

    @Override
    protected void cleanUp() {
        database.close();
    }

    @Test
    void aReservationOrphanedByACrashIsReclaimedAfterTheGracePeriod() {
        store.create(integration(TENANT, "int-1", "key-1"));
        // a crash after reserving and before writing leaves reservations without an integration:
        // simulate it by removing only the integration document
        database.containers().integrations().deleteItem("int-1", new PartitionKey(TENANT.value()), new CosmosItemRequestOptions());

        assertThat(store.findByEndpointKey("key-1")).isEmpty();
        assertThatThrownBy(() -> store.create(integration(OTHER_TENANT, "int-1", "key-1"))).isInstanceOf(StoreConflictException.class);

        clock.advance(CosmosIntegrationStore.ORPHAN_GRACE.plusSeconds(1));
        Integration reclaimed = store.create(integration(OTHER_TENANT, "int-1", "key-1"));

        assertThat(reclaimed.tenantId()).isEqualTo(OTHER_TENANT);
        assertThat(store.findByEndpointKey("key-1")).hasValueSatisfying(i -> assertThat(i.tenantId()).isEqualTo(OTHER_TENANT));
    }

    @Test
    void aKeyStillHeldByItsIntegrationIsNeverReclaimed() {
        store.create(integration(TENANT, "int-1", "key-1"));
        clock.advance(Duration.ofDays(30));

        assertThatThrownBy(() -> store.create(integration(OTHER_TENANT, "int-2", "key-1"))).isInstanceOf(StoreConflictException.class);
        assertThat(store.findByEndpointKey("key-1")).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(IntegrationId.of("int-1")));
    }

    @Test
    void tenantIdsReservedForTheRegistryAreRejected() {
        assertThatThrownBy(() -> store.create(integration(TenantId.of("~registry"), "int-1", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void theRegistryHoldsOnlyAHashOfTheEndpointKey() {
        store.create(integration(TENANT, "int-1", "very-secret-endpoint-key"));

        var docs = database.containers().integrations().queryItems("SELECT * FROM c WHERE c.tenantId = '~registry'",
                new com.azure.cosmos.models.CosmosQueryRequestOptions(), com.fasterxml.jackson.databind.node.ObjectNode.class);

        assertThat(docs.stream().map(Object::toString)).isNotEmpty().noneMatch(d -> d.contains("very-secret-endpoint-key"));
    }
}
