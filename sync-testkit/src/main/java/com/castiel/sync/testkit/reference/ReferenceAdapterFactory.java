package com.castiel.sync.testkit.reference;

import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * ServiceLoader entry point of the reference provider (id {@code reference}), registered in
 * {@code META-INF/services/com.castiel.sync.spi.ProviderAdapterFactory}. Stateless, does no I/O.
 *
 * <p>Settings: {@code baseUrl} (required, absolute http(s) URL), {@code tokenUrl} (default
 * {@code baseUrl + /oauth/token}), {@code webhookToleranceSeconds} (default 300). Credentials:
 * the refresh token plus properties {@code client_id}, {@code client_secret} and
 * {@code webhook_secret}.
 */
public final class ReferenceAdapterFactory implements ProviderAdapterFactory {

    @Override
    public String id() {
        return ReferenceAdapter.PROVIDER;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public Set<Capability> capabilities() {
        return ReferenceAdapter.CAPABILITIES;
    }

    @Override
    public ProviderAdapter create(AdapterContext context, ProviderSettings settings) {
        URI baseUrl = httpUrl(settings, "baseUrl", settings.required("baseUrl"));
        URI tokenUrl = settings.optional("tokenUrl")
                .map(v -> httpUrl(settings, "tokenUrl", v))
                .orElseGet(() -> URI.create(baseUrl.toString().replaceAll("/+$", "") + "/oauth/token"));
        int tolerance = settings.intValue("webhookToleranceSeconds", 300);
        if (tolerance < 1) {
            throw new SyncException.Configuration("setting 'webhookToleranceSeconds' must be at least 1, got " + tolerance,
                    SyncException.Details.of(id(), 0, null));
        }
        return new ReferenceAdapter(context, baseUrl, tokenUrl, Duration.ofSeconds(tolerance));
    }

    private URI httpUrl(ProviderSettings settings, String key, String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SyncException.Configuration("setting '" + key + "' must be an absolute http(s) URL, got '" + value + "'",
                    SyncException.Details.of(settings.provider(), 0, null));
        }
    }
}
