package com.example.ticketdesk;

import com.castiel.sync.testkit.arch.AdapterArchitecture;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The adapter sees the engine only through its SPI, model and HTTP packages. */
@AnalyzeClasses(packages = "com.example.ticketdesk", importOptions = ImportOption.DoNotIncludeTests.class)
class TicketDeskArchitectureTest {

    @ArchTest
    static final ArchRule adapter_uses_only_spi_model_http = AdapterArchitecture.ADAPTERS_USE_ONLY_SPI_MODEL_HTTP;
}
