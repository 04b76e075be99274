package com.castiel.sync.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterRegistryTest {

    @TempDir
    Path dir;

    @Test
    void discovers_factories_listed_for_the_given_class_loader() throws IOException {
        AdapterRegistry registry = AdapterRegistry.discover(loaderListing(Alpha.class, Beta.class));

        assertThat(registry.ids()).containsExactly("alpha", "beta");
        assertThat(registry.find("alpha")).get().isInstanceOf(Alpha.class);
        assertThat(registry.find("gamma")).isEmpty();
    }

    @Test
    void discovery_sees_nothing_the_loader_does_not_list() throws IOException {
        assertThat(AdapterRegistry.discover(loaderListing()).ids()).isEmpty();
    }

    @Test
    void duplicate_ids_fail_loudly_naming_both_classes() throws IOException {
        assertThatThrownBy(() -> AdapterRegistry.discover(loaderListing(Alpha.class, AlphaAgain.class)))
                .isInstanceOf(AdapterRegistryException.class)
                .hasMessageContaining("'alpha'")
                .hasMessageContaining(Alpha.class.getName())
                .hasMessageContaining(AlphaAgain.class.getName());
    }

    @Test
    void a_provider_that_cannot_be_constructed_fails_discovery() throws IOException {
        assertThatThrownBy(() -> AdapterRegistry.discover(loaderListing(Alpha.class, Exploding.class)))
                .isInstanceOf(AdapterRegistryException.class)
                .hasMessageContaining("could not be loaded")
                .hasMessageContaining(Exploding.class.getName());
    }

    @Test
    void a_listed_class_that_does_not_exist_fails_discovery() throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ProviderAdapterFactory.class.getName()), "com.example.Missing\n");
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());

        assertThatThrownBy(() -> AdapterRegistry.discover(loader)).hasMessageContaining("com.example.Missing");
    }

    @Test
    void explicit_registration_validates_id_and_capabilities() {
        AdapterRegistry registry = AdapterRegistry.empty().register(new Alpha());

        assertThat(registry.ids()).containsExactly("alpha");
        assertThatThrownBy(() -> registry.register(new BadId())).hasMessageContaining("invalid id 'Bad Id'");
        assertThatThrownBy(() -> registry.register(new WriteOnly())).hasMessageContaining("must declare at least READ");
        assertThatThrownBy(() -> registry.register(new Alpha())).hasMessageContaining("two provider adapters claim id 'alpha'");
    }

    private ClassLoader loaderListing(Class<?>... factories) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        StringBuilder lines = new StringBuilder("# test providers\n");
        for (Class<?> f : factories) {
            lines.append(f.getName()).append('\n');
        }
        Files.writeString(services.resolve(ProviderAdapterFactory.class.getName()), lines);
        // Parent-last would be needed to hide the test class path's own services; it has none for this SPI.
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    /** A minimal factory; its adapters only read empty pages. */
    public abstract static class TestFactory implements ProviderAdapterFactory {
        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.READ);
        }

        @Override
        public ProviderAdapter create(AdapterContext context, ProviderSettings settings) {
            return new ProviderAdapter() {
                @Override
                public Set<Capability> capabilities() {
                    return TestFactory.this.capabilities();
                }

                @Override
                public Page fetch(com.castiel.sync.spi.FetchRequest request) {
                    return Page.last(java.util.List.of());
                }
            };
        }
    }

    public static final class Alpha extends TestFactory {
        @Override
        public String id() {
            return "alpha";
        }
    }

    public static final class AlphaAgain extends TestFactory {
        @Override
        public String id() {
            return "alpha";
        }
    }

    public static final class Beta extends TestFactory {
        @Override
        public String id() {
            return "beta";
        }
    }

    public static final class Exploding extends TestFactory {
        public Exploding() {
            throw new IllegalStateException("static setup failed");
        }

        @Override
        public String id() {
            return "exploding";
        }
    }

    public static final class BadId extends TestFactory {
        @Override
        public String id() {
            return "Bad Id";
        }
    }

    public static final class WriteOnly extends TestFactory {
        @Override
        public String id() {
            return "write-only";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.WRITE);
        }
    }
}
