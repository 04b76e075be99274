package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.testkit.arch.AdapterArchitecture;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "com.castiel.sync.adapters.salesforce", importOptions = ImportOption.DoNotIncludeTests.class)
class SalesforceArchitectureTest {

    @ArchTest
    static final ArchRule adapter_uses_only_the_spi_model_and_http = AdapterArchitecture.ADAPTERS_USE_ONLY_SPI_MODEL_HTTP;
}
