package com.castiel.sync.standalone.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The shell's packages depend downwards only: cli → demo → runtime → server → admin, config. */
@AnalyzeClasses(packages = "com.castiel.sync.standalone", importOptions = ImportOption.DoNotIncludeTests.class)
class ShellLayeringTest {

    private static final String BASE = "com.castiel.sync.standalone.";

    @ArchTest
    static final ArchRule only_the_demo_uses_the_test_kit = noClasses()
            .that().resideOutsideOfPackage(BASE + "demo..")
            .should().dependOnClassesThat().resideInAPackage("com.castiel.sync.testkit..")
            .because("the fake providers are for the demo; the engine never runs on test-kit code");

    @ArchTest
    static final ArchRule configuration_depends_on_nothing_of_the_shell = noClasses()
            .that().resideInAPackage(BASE + "config..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + "admin..", BASE + "server..", BASE + "runtime..",
                    BASE + "cli..", BASE + "demo..", BASE + "store..", BASE + "vault..");

    @ArchTest
    static final ArchRule admin_operations_know_no_transport = noClasses()
            .that().resideInAPackage(BASE + "admin..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + "server..", BASE + "runtime..", BASE + "cli..", BASE + "demo..")
            .because("the HTTP API and the command line share them");

    @ArchTest
    static final ArchRule the_server_knows_no_runtime = noClasses()
            .that().resideInAPackage(BASE + "server..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + "runtime..", BASE + "cli..", BASE + "demo..", BASE + "store..")
            .because("the runtime assembles the server, not the other way round");

    @ArchTest
    static final ArchRule the_runtime_knows_no_command_line = noClasses()
            .that().resideInAPackage(BASE + "runtime..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + "cli..", BASE + "demo..");
}
