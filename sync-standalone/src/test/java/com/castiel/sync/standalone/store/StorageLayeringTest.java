package com.castiel.sync.standalone.store;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "com.castiel.sync.standalone", importOptions = ImportOption.DoNotIncludeTests.class)
class StorageLayeringTest {

    @ArchTest
    static final ArchRule storage_never_depends_on_the_rest_of_the_shell = noClasses()
            .that().resideInAnyPackage("com.castiel.sync.standalone.store..", "com.castiel.sync.standalone.vault..")
            .should().dependOnClassesThat(resideInAPackage("com.castiel.sync.standalone..")
                    .and(resideOutsideOfPackages("com.castiel.sync.standalone.store..", "com.castiel.sync.standalone.vault..")))
            .because("the CLI, HTTP server and workers use the storage through EmbeddedStorage, never the other way round");

    @ArchTest
    static final ArchRule the_sqlite_plumbing_knows_no_store = noClasses()
            .that().resideInAPackage("com.castiel.sync.standalone.store.sqlite..")
            .should().dependOnClassesThat().resideInAnyPackage("com.castiel.sync.standalone.store", "com.castiel.sync.standalone.vault..")
            .because("the stores and the vault share the database layer; it must not depend on them");

    @ArchTest
    static final ArchRule the_vault_uses_only_the_sqlite_plumbing = noClasses()
            .that().resideInAPackage("com.castiel.sync.standalone.vault..")
            .should().dependOnClassesThat().resideInAPackage("com.castiel.sync.standalone.store")
            .because("EmbeddedStorage builds the vault; a dependency back would be a package cycle");

    @ArchTest
    static final ArchRule storage_never_depends_on_the_test_kit = noClasses()
            .that().resideInAnyPackage("com.castiel.sync.standalone.store..", "com.castiel.sync.standalone.vault..")
            .should().dependOnClassesThat().resideInAPackage("com.castiel.sync.testkit..")
            .because("the test kit is a test dependency");
}
