package com.castiel.sync.azure.servicebus;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClientBuilder;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Service Bus clients the job queue uses, one set per namespace. Building a client does not
 * connect; connections open on first use. Tests substitute mocks.
 */
public interface ServiceBusClients extends AutoCloseable {

    /** The sender of a queue (shared, thread-safe). */
    ServiceBusSenderClient sender(String queue);

    /** The peek-lock receiver of a non-session queue (shared), without prefetch or auto-complete. */
    ServiceBusReceiverClient receiver(String queue);

    /** The session acceptor of a session queue (shared). */
    ServiceBusSessionReceiverClient sessionReceiver(String queue);

    /** A peek-lock receiver of a queue's dead-letter sub-queue (shared). */
    ServiceBusReceiverClient deadLetterReceiver(String queue);

    /** Queue counts. */
    ServiceBusAdministrationClient administration();

    /** A builder for processors and further clients on the same namespace and credentials. */
    ServiceBusClientBuilder builder();

    @Override
    void close();

    /** Clients authenticated by a connection string ({@code SERVICEBUS_SYNC_CONNECTION}). */
    static ServiceBusClients withConnectionString(String connectionString) {
        Objects.requireNonNull(connectionString, "connectionString");
        return new Cached(() -> new ServiceBusClientBuilder().connectionString(connectionString),
                () -> new ServiceBusAdministrationClientBuilder().connectionString(connectionString).buildClient());
    }

    /** Clients authenticated by Entra ID (managed identity) on a namespace ({@code <name>.servicebus.windows.net}). */
    static ServiceBusClients withCredential(String fullyQualifiedNamespace, TokenCredential credential) {
        Objects.requireNonNull(fullyQualifiedNamespace, "fullyQualifiedNamespace");
        Objects.requireNonNull(credential, "credential");
        return new Cached(() -> new ServiceBusClientBuilder().fullyQualifiedNamespace(fullyQualifiedNamespace).credential(credential),
                () -> new ServiceBusAdministrationClientBuilder().endpoint("https://" + fullyQualifiedNamespace).credential(credential).buildClient());
    }

    /** Lazily built, cached clients. */
    final class Cached implements ServiceBusClients {
        private final java.util.function.Supplier<ServiceBusClientBuilder> builders;
        private final java.util.function.Supplier<ServiceBusAdministrationClient> admins;
        private final ServiceBusClientBuilder shared;
        private final Map<String, ServiceBusSenderClient> senders = new ConcurrentHashMap<>();
        private final Map<String, ServiceBusReceiverClient> receivers = new ConcurrentHashMap<>();
        private final Map<String, ServiceBusSessionReceiverClient> sessionReceivers = new ConcurrentHashMap<>();
        private final Map<String, ServiceBusReceiverClient> deadLetterReceivers = new ConcurrentHashMap<>();
        private volatile ServiceBusAdministrationClient admin;

        Cached(java.util.function.Supplier<ServiceBusClientBuilder> builders, java.util.function.Supplier<ServiceBusAdministrationClient> admins) {
            this.builders = builders;
            this.admins = admins;
            // one builder shares one AMQP connection across the clients it builds
            this.shared = builders.get();
        }

        @Override
        public ServiceBusSenderClient sender(String queue) {
            return senders.computeIfAbsent(queue, q -> shared.sender().queueName(q).buildClient());
        }

        @Override
        public ServiceBusReceiverClient receiver(String queue) {
            return receivers.computeIfAbsent(queue, q -> shared.receiver().queueName(q)
                    .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).prefetchCount(0).disableAutoComplete().buildClient());
        }

        @Override
        public ServiceBusSessionReceiverClient sessionReceiver(String queue) {
            return sessionReceivers.computeIfAbsent(queue, q -> shared.sessionReceiver().queueName(q)
                    .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).prefetchCount(0).disableAutoComplete().buildClient());
        }

        @Override
        public ServiceBusReceiverClient deadLetterReceiver(String queue) {
            return deadLetterReceivers.computeIfAbsent(queue, q -> shared.receiver().queueName(q).subQueue(SubQueue.DEAD_LETTER_QUEUE)
                    .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).prefetchCount(0).disableAutoComplete().buildClient());
        }

        @Override
        public ServiceBusAdministrationClient administration() {
            ServiceBusAdministrationClient a = admin;
            if (a == null) {
                synchronized (this) {
                    if (admin == null) {
                        admin = admins.get();
                    }
                    a = admin;
                }
            }
            return a;
        }

        @Override
        public ServiceBusClientBuilder builder() {
            return builders.get();
        }

        @Override
        public void close() {
            senders.values().forEach(ServiceBusSenderClient::close);
            receivers.values().forEach(ServiceBusReceiverClient::close);
            sessionReceivers.values().forEach(ServiceBusSessionReceiverClient::close);
            deadLetterReceivers.values().forEach(ServiceBusReceiverClient::close);
        }
    }
}
