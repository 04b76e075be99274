package com.castiel.sync.standalone.server;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.engine.WebhookIntake;
import com.castiel.sync.model.Integration;
import com.castiel.sync.registry.AdapterRegistry;
import com.castiel.sync.standalone.admin.Administration;
import com.castiel.sync.standalone.admin.RecentEvents;
import com.castiel.sync.standalone.config.ServerSettings;
import com.castiel.sync.standalone.runtime.DataStorage;
import com.castiel.sync.standalone.runtime.IntegrationProvisioning;
import com.castiel.sync.standalone.support.InMemoryStorage;
import com.castiel.sync.standalone.support.ReferenceFixture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP server over in-memory ports and a reference provider, without workers, so a test can
 * see exactly what was queued.
 */
final class ServerTestBed implements AutoCloseable {

    static final String TOKEN = "test-admin-token-0123456789";
    static final int MAX_BODY = 64 * 1024;

    final ReferenceFixture fixture = new ReferenceFixture(3);
    final Clock clock = Clock.systemUTC();
    final DataStorage storage = InMemoryStorage.create(clock, new AtomicBoolean());
    final RecentEvents events = new RecentEvents(100);
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AdapterRegistry registry = AdapterRegistry.discover(getClass().getClassLoader());
    final SyncEngine engine = SyncEngine.builder().shards(storage.shards()).integrations(storage.integrations()).runs(storage.runs())
            .credentials(storage.credentials()).queue(storage.queue()).events(events).clock(clock).meters(meters).registry(registry).build();
    final Integration integration;
    final WebhookVerifiers verifiers = new WebhookVerifiers(engine.adapters());
    final WebhookEndpoint webhooks;
    final StandaloneHttpServer server;

    ServerTestBed() {
        integration = new IntegrationProvisioning(storage.integrations(), storage.credentials(), clock).apply(fixture.integration());
        WebhookIntake intake = new WebhookIntake(storage.integrations(), verifiers, storage.queue(), events, clock, MAX_BODY);
        webhooks = new WebhookEndpoint(intake, MAX_BODY, clock, meters, new HashSet<>(registry.ids()));
        Administration admin = new Administration(engine, events);
        AdminApi api = new AdminApi(admin, AdminToken.of(TOKEN), new ConflictApi(engine.conflictDesk(), admin.directory()));
        server = new StandaloneHttpServer(new ServerSettings("127.0.0.1", 0, MAX_BODY), webhooks, api, meters, () -> HealthCheck.Status.UP);
        server.start();
    }

    URI uri(String path) {
        return server.baseUri().resolve(path);
    }

    URI webhookUri() {
        return uri("/webhooks/reference/" + ReferenceFixture.ENDPOINT_KEY);
    }

    @Override
    public void close() {
        server.close();
        verifiers.close();
        engine.close();
        fixture.close();
        meters.close();
    }
}
