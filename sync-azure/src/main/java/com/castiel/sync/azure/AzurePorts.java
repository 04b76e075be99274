package com.castiel.sync.azure;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.castiel.sync.azure.config.AzureSettings;
import com.castiel.sync.azure.cosmos.CosmosIntegrationStore;
import com.castiel.sync.azure.cosmos.CosmosRunStore;
import com.castiel.sync.azure.cosmos.CosmosShardStore;
import com.castiel.sync.azure.cosmos.CosmosSyncContainers;
import com.castiel.sync.azure.eventgrid.EventGridEventPublisher;
import com.castiel.sync.azure.keyvault.KeyVaultCredentialStore;
import com.castiel.sync.azure.servicebus.ServiceBusClients;
import com.castiel.sync.azure.servicebus.ServiceBusJobQueue;
import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.inbound.InboundSettings;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The engine's ports on Azure, connected from {@link AzureSettings}: Cosmos DB stores, Key Vault
 * credentials, the Service Bus job queue and the Event Grid publisher. Keys and connection strings
 * are used where set; otherwise every client authenticates with the managed identity
 * ({@code DefaultAzureCredential}). The Cosmos client reads its account metadata when built; the
 * other clients connect on first use.
 *
 * @param settings what it was built from
 * @param shards shard store
 * @param integrations integration store
 * @param runs run store
 * @param credentials credential store
 * @param queue job queue
 * @param events event publisher
 * @param cosmos the Cosmos client (closed by {@link #close()})
 */
public record AzurePorts(AzureSettings settings, CosmosShardStore shards, CosmosIntegrationStore integrations, CosmosRunStore runs,
                         KeyVaultCredentialStore credentials, ServiceBusJobQueue queue, EventGridEventPublisher events,
                         CosmosClient cosmos) implements AutoCloseable {

    /** Connects the ports; the identity credential is built only when some service needs it. */
    public static AzurePorts connect(AzureSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Supplier<TokenCredential> identity = memoize(() -> new DefaultAzureCredentialBuilder().build());

        CosmosClientBuilder cosmosBuilder = new CosmosClientBuilder().endpoint(settings.cosmosEndpoint()).contentResponseOnWriteEnabled(true);
        CosmosClient cosmos = (settings.cosmosUsesIdentity() ? cosmosBuilder.credential(identity.get()) : cosmosBuilder.key(settings.cosmosKey()))
                .buildClient();
        // containers are deployed by infra/main.bicep; an identity has no right to create them
        CosmosSyncContainers containers = CosmosSyncContainers.open(cosmos, settings.cosmosDatabase(), false);

        KeyVaultCredentialStore credentials = new KeyVaultCredentialStore(new SecretClientBuilder()
                .vaultUrl(settings.keyVaultUrl()).credential(identity.get()).buildClient());

        ServiceBusClients bus = settings.serviceBusUsesIdentity()
                ? ServiceBusClients.withCredential(settings.serviceBusNamespace(), identity.get())
                : ServiceBusClients.withConnectionString(settings.serviceBusConnectionString());

        EventGridPublisherClientBuilder topic = new EventGridPublisherClientBuilder().endpoint(settings.eventGridEndpoint());
        EventGridPublisherClient<EventGridEvent> publisher = (settings.eventGridUsesIdentity()
                ? topic.credential(identity.get()) : topic.credential(new AzureKeyCredential(settings.eventGridKey())))
                .buildEventGridEventPublisherClient();

        return new AzurePorts(settings, new CosmosShardStore(containers.shards()), new CosmosIntegrationStore(containers.integrations(), clock),
                new CosmosRunStore(containers.runs()), credentials, new ServiceBusJobQueue(bus), new EventGridEventPublisher(publisher), cosmos);
    }

    /** An engine builder with these ports, the clock and the inbound limits from the settings. */
    public SyncEngine.Builder engine(Clock clock) {
        return SyncEngine.builder()
                .shards(shards).integrations(integrations).runs(runs).credentials(credentials).queue(queue).events(events)
                .clock(clock)
                .inboundSettings(inboundSettings(settings));
    }

    /** The inbound limits of {@code MAX_RECORDS_PER_SYNC}: pages no larger than a run's record cap. */
    public static InboundSettings inboundSettings(AzureSettings settings) {
        InboundSettings defaults = InboundSettings.defaults();
        int max = settings.maxRecordsPerSync();
        return max == 0 ? defaults : defaults.withMaxRecordsPerSync(max).withPageSize(Math.min(defaults.pageSize(), max));
    }

    @Override
    public void close() {
        queue.close();
        cosmos.close();
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
