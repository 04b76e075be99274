package com.castiel.sync.testkit.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "com.castiel.sync.testkit.reference", importOptions = ImportOption.DoNotIncludeTests.class)
class ReferenceAdapterArchitectureTest {

    private static final DescribedPredicate<JavaClass> ADAPTER_CLASSES = DescribedPredicate.describe(
            "the reference adapter's classes",
            c -> c.getName().matches("com\\.castiel\\.sync\\.testkit\\.reference\\.Reference(Adapter|AdapterFactory|ErrorClassifier)(\\$.*)?"));

    @ArchTest
    static final ArchRule reference_adapter_uses_only_spi_model_http =
            AdapterArchitecture.adapterClassesUseOnlySpiModelHttp(ADAPTER_CLASSES);
}
