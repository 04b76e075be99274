package com.castiel.sync.standalone.server;

import com.castiel.sync.registry.AdapterSource;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.spi.ForwardingAdapter;
import com.castiel.sync.spi.ProviderAdapter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AdapterSource} for the webhook receiver that keeps one adapter per integration
 * version instead of building one per request (a fresh adapter means a fresh context, HTTP
 * clients and rate-limit lookup: too slow for thousands of webhooks a second). A new version of
 * the integration replaces and closes the old adapter. Adapters handed out ignore
 * {@link ProviderAdapter#close()}; the cache closes them when it is closed.
 *
 * <p>Thread-safe.
 */
public final class WebhookVerifiers implements AdapterSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookVerifiers.class);

    private final AdapterSource delegate;
    private final Map<IntegrationId, Cached> byIntegration = new ConcurrentHashMap<>();

    public WebhookVerifiers(AdapterSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ProviderAdapter open(Integration integration) {
        Cached current = byIntegration.get(integration.id());
        if (current != null && current.version == integration.version() && current.tenant.equals(integration.tenantId().value())) {
            return current.shared;
        }
        Cached created = byIntegration.compute(integration.id(), (id, existing) -> {
            if (existing != null && existing.version == integration.version() && existing.tenant.equals(integration.tenantId().value())) {
                return existing;
            }
            if (existing != null) {
                closeQuietly(existing.adapter);
            }
            ProviderAdapter adapter = delegate.open(integration);
            return new Cached(integration.version(), integration.tenantId().value(), adapter, new Shared(adapter));
        });
        return created.shared;
    }

    /** Number of adapters held (tests, diagnostics). */
    public int size() {
        return byIntegration.size();
    }

    @Override
    public void close() {
        byIntegration.values().forEach(c -> closeQuietly(c.adapter));
        byIntegration.clear();
    }

    private static void closeQuietly(ProviderAdapter adapter) {
        try {
            adapter.close();
        } catch (RuntimeException e) {
            LOG.warn("closing a cached webhook adapter failed: {}", e.toString());
        }
    }

    private record Cached(long version, String tenant, ProviderAdapter adapter, ProviderAdapter shared) {
    }

    /** A view of a cached adapter whose close does nothing: the cache owns it. */
    private static final class Shared extends ForwardingAdapter {

        Shared(ProviderAdapter adapter) {
            super(adapter);
        }

        @Override
        public void close() {
            // owned by the cache
        }
    }
}
