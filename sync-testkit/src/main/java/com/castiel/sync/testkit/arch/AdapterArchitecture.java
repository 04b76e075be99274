package com.castiel.sync.testkit.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering rule every adapter module must pass: an adapter sees the engine only through
 * {@code com.castiel.sync.spi}, {@code .model} and {@code .http}. Engine internals (pipelines,
 * ports, resilience, shells) and the test kit stay invisible, so the engine can change them
 * without breaking adapters written outside it.
 *
 * <p>Use it in the adapter module's tests on the adapter's own classes:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.ticketdesk", importOptions = ImportOption.DoNotIncludeTests.class)
 * class TicketDeskArchitectureTest {
 *     @ArchTest
 *     static final ArchRule adapter_uses_only_the_spi = AdapterArchitecture.ADAPTERS_USE_ONLY_SPI_MODEL_HTTP;
 * }
 * }</pre>
 *
 * Adapters shipped inside the engine's namespace ({@code com.castiel.sync.adapters..}) may
 * depend on their own packages; nothing else under {@code com.castiel.sync} is allowed.
 */
public final class AdapterArchitecture {

    /** Engine classes an adapter may use. */
    public static final DescribedPredicate<JavaClass> ADAPTER_API = resideInAnyPackage(
            "com.castiel.sync.spi..", "com.castiel.sync.model..", "com.castiel.sync.http..")
            .as("the adapter API (spi, model, http)");

    /** Engine classes an adapter must not use: everything under com.castiel.sync except the adapter API and adapters. */
    public static final DescribedPredicate<JavaClass> ENGINE_INTERNALS = resideInAPackage("com.castiel.sync..")
            .and(not(ADAPTER_API))
            .and(not(resideInAPackage("com.castiel.sync.adapters..")))
            .as("engine internals (anything in com.castiel.sync outside spi, model, http)");

    /** No analysed class depends on engine internals. */
    public static final ArchRule ADAPTERS_USE_ONLY_SPI_MODEL_HTTP = noClasses()
            .should().dependOnClassesThat(ENGINE_INTERNALS)
            .because("adapters compile against the SPI, the model and the HTTP layer only; "
                    + "everything else in the engine may change without notice");

    private AdapterArchitecture() {
    }

    /**
     * The same rule for the classes {@code adapterClasses} selects, for modules where adapter
     * code shares a package with other code (the test kit's reference adapter sits beside its
     * fake server).
     */
    public static ArchRule adapterClassesUseOnlySpiModelHttp(DescribedPredicate<? super JavaClass> adapterClasses) {
        return noClasses().that(adapterClasses)
                .should().dependOnClassesThat(ENGINE_INTERNALS.and(not(adapterClasses)))
                .because("adapters compile against the SPI, the model and the HTTP layer only");
    }
}
