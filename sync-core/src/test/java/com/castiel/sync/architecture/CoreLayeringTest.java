package com.castiel.sync.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "com.castiel.sync", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreLayeringTest {

    @ArchTest
    static final ArchRule core_never_touches_azure = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("com.azure..", "com.microsoft.azure..")
            .because("core is host-agnostic; Azure types live in sync-azure");

    @ArchTest
    static final ArchRule core_never_imports_a_shell_or_an_adapter = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.castiel.sync.standalone..", "com.castiel.sync.azure..", "com.castiel.sync.adapters..",
                    "com.castiel.sync.testkit..")
            .because("shells and adapters depend on core, never the other way round");

    @ArchTest
    static final ArchRule model_is_pure = noClasses().that().resideInAPackage("com.castiel.sync.model..")
            .should().dependOnClassesThat(engineClassesOutside("com.castiel.sync.model.."))
            .because("the model is the innermost layer");

    @ArchTest
    static final ArchRule spi_and_http_see_only_model = noClasses().that().resideInAnyPackage("com.castiel.sync.spi..", "com.castiel.sync.http..")
            .should().dependOnClassesThat(engineClassesOutside("com.castiel.sync.spi..", "com.castiel.sync.http..", "com.castiel.sync.model.."))
            .because("adapters compile against spi, http and model only; those must not drag engine internals in");

    /** Classes of the engine ({@code com.castiel.sync..}) outside the given packages. */
    private static DescribedPredicate<JavaClass> engineClassesOutside(String... allowed) {
        return resideInAPackage("com.castiel.sync..").and(not(resideInAnyPackage(allowed)))
                .as("engine classes outside " + String.join(", ", allowed));
    }

    @ArchTest
    static final ArchRule ports_do_not_depend_on_engine = noClasses().that().resideInAPackage("com.castiel.sync.port..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.castiel.sync.engine..", "com.castiel.sync.inbound..", "com.castiel.sync.outbound..")
            .because("storage and queue implementations must not depend on the pipelines that use them");
}
