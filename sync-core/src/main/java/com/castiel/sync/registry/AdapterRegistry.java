package com.castiel.sync.registry;

import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapterFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The provider adapters a host can use, by provider id.
 *
 * <p>Factories are discovered with {@link ServiceLoader} from an explicit class loader, and can
 * be registered explicitly (for adapters built in code or loaded from elsewhere). Discovery is
 * loud, unlike JDBC's {@code DriverManager}: a provider that cannot be instantiated, reports an
 * invalid id or capabilities, or shares its id with another provider fails the whole discovery
 * with an error naming the classes involved. Thread-safe.
 */
public final class AdapterRegistry {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private final Map<String, ProviderAdapterFactory> factories = new ConcurrentHashMap<>();

    private AdapterRegistry() {
    }

    /** An empty registry, for explicit registration. */
    public static AdapterRegistry empty() {
        return new AdapterRegistry();
    }

    /**
     * Discovers every {@code ProviderAdapterFactory} visible to {@code loader}.
     *
     * @throws AdapterRegistryException when a provider is broken or two share an id
     */
    public static AdapterRegistry discover(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        AdapterRegistry registry = new AdapterRegistry();
        ServiceLoader<ProviderAdapterFactory> services = ServiceLoader.load(ProviderAdapterFactory.class, loader);
        var it = services.iterator();
        while (true) {
            ProviderAdapterFactory factory;
            try {
                if (!it.hasNext()) {
                    break;
                }
                factory = it.next();
            } catch (ServiceConfigurationError e) {
                throw new AdapterRegistryException("a provider adapter listed in META-INF/services/"
                        + ProviderAdapterFactory.class.getName() + " could not be loaded: " + e.getMessage(), e);
            }
            registry.register(factory);
        }
        return registry;
    }

    /**
     * Adds a factory.
     *
     * @throws AdapterRegistryException when its id is invalid or already registered, or it
     *     reports no capabilities or no {@code READ}
     */
    public AdapterRegistry register(ProviderAdapterFactory factory) {
        Objects.requireNonNull(factory, "factory");
        String id;
        Set<Capability> caps;
        try {
            id = factory.id();
            caps = factory.capabilities();
            Objects.requireNonNull(factory.version(), "version()");
        } catch (RuntimeException e) {
            throw new AdapterRegistryException("provider adapter " + factory.getClass().getName() + " failed to describe itself: " + e, e);
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new AdapterRegistryException("provider adapter " + factory.getClass().getName() + " has invalid id '" + id
                    + "'; ids are lower case letters, digits and dashes, starting with a letter");
        }
        if (caps == null || !caps.contains(Capability.READ)) {
            throw new AdapterRegistryException("provider adapter '" + id + "' (" + factory.getClass().getName() + ") must declare at least READ");
        }
        ProviderAdapterFactory previous = factories.putIfAbsent(id, factory);
        if (previous != null) {
            throw new AdapterRegistryException("two provider adapters claim id '" + id + "': " + previous.getClass().getName()
                    + " and " + factory.getClass().getName() + "; remove one from the class path");
        }
        return this;
    }

    /** The factory for a provider id. */
    public Optional<ProviderAdapterFactory> find(String providerId) {
        return Optional.ofNullable(providerId).map(factories::get);
    }

    /** Registered provider ids, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(factories.keySet());
        Collections.sort(ids);
        return ids;
    }

    /** Registered factories by id, sorted. */
    public Map<String, ProviderAdapterFactory> all() {
        return Collections.unmodifiableMap(new TreeMap<>(factories));
    }

    public Collection<ProviderAdapterFactory> factories() {
        return List.copyOf(all().values());
    }
}
