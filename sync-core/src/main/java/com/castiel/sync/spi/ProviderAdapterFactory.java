package com.castiel.sync.spi;

import java.util.Set;

/**
 * The ServiceLoader entry point of a provider (listed in
 * {@code META-INF/services/com.castiel.sync.spi.ProviderAdapterFactory}).
 *
 * <p>Implementations have a public no-argument constructor, do no I/O and no static work, and
 * are cheap to construct: the registry instantiates every factory on the class path at start.
 * They are thread-safe and stateless.
 */
public interface ProviderAdapterFactory {

    /** Provider id, lower case, unique across the class path (e.g. {@code salesforce}). */
    String id();

    /** Adapter version, for diagnostics (e.g. {@code 1.0.0}). */
    String version();

    /** What adapters of this factory can do; must equal {@link ProviderAdapter#capabilities()}. */
    Set<Capability> capabilities();

    /**
     * Creates an adapter for one integration. Does no network I/O: authentication happens lazily
     * on the first call.
     *
     * @param context host services for this integration
     * @param settings the integration's provider settings
     * @throws SyncException.Configuration naming the setting when settings are missing or invalid
     */
    ProviderAdapter create(AdapterContext context, ProviderSettings settings);
}
