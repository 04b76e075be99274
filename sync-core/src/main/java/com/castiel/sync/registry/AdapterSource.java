package com.castiel.sync.registry;

import com.castiel.sync.model.Integration;
import com.castiel.sync.spi.ProviderAdapter;

/**
 * Opens the adapter for an integration: finds its provider's factory, builds the host context
 * (HTTP chain, credentials, rate limits) and creates the adapter. Callers close what they open.
 */
@FunctionalInterface
public interface AdapterSource {

    /**
     * @throws com.castiel.sync.spi.SyncException.Configuration when no adapter is registered for
     *     the integration's provider or its settings are invalid
     */
    ProviderAdapter open(Integration integration);
}
