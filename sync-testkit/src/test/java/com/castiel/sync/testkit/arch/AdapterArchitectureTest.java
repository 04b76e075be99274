package com.castiel.sync.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.testkit.fake.FakeProviderServer;
import com.castiel.sync.testkit.reference.ReferenceProviderServer;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The rule itself can fail: the positive case is {@link ReferenceAdapterArchitectureTest}. */
class AdapterArchitectureTest {

    @Test
    void ruleFlagsAClassThatUsesTheTestKit() {
        JavaClasses classes = new ClassFileImporter().importClasses(ReferenceProviderServer.class, FakeProviderServer.class);
        assertThat(AdapterArchitecture.ADAPTERS_USE_ONLY_SPI_MODEL_HTTP.evaluate(classes).hasViolation()).isTrue();
    }
}
