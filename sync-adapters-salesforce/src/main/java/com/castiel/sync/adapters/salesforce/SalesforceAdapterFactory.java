package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code salesforce} provider: discovered through
 * {@code META-INF/services/com.castiel.sync.spi.ProviderAdapterFactory}. Cheap, stateless and
 * thread-safe; {@link #create} validates the settings ({@code apiVersion}, {@code instanceUrl},
 * {@code loginUrl}, {@code orgId}, {@code authFlow}) and does no I/O.
 */
public final class SalesforceAdapterFactory implements ProviderAdapterFactory {

    /** The provider id (the rate limiter's defaults are keyed by it). */
    public static final String ID = "salesforce";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public Set<Capability> capabilities() {
        return SalesforceAdapter.CAPABILITIES;
    }

    /**
     * @throws com.castiel.sync.spi.SyncException.Configuration naming the setting that is malformed
     */
    @Override
    public ProviderAdapter create(AdapterContext context, ProviderSettings settings) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(settings, "settings");
        return new SalesforceAdapter(context, SalesforceSettings.from(settings));
    }
}
