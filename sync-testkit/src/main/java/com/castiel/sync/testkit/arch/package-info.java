/**
 * Reusable ArchUnit rules for adapter modules, such as
 * {@link com.castiel.sync.testkit.arch.AdapterArchitecture#ADAPTERS_USE_ONLY_SPI_MODEL_HTTP}.
 */
package com.castiel.sync.testkit.arch;
