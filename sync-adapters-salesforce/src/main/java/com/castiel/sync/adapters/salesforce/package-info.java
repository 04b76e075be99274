/**
 * The Salesforce REST API adapter ({@code salesforce}): OAuth 2.0 refresh-token, JWT-bearer and
 * client-credentials grants; SOQL reads in (SystemModstamp, Id) order paged by
 * {@code nextRecordsUrl}; deletions from the delete log and {@code queryAll}; single and sObject
 * Collections writes with upserts by external id; Outbound Message webhooks. Only
 * {@link com.castiel.sync.adapters.salesforce.SalesforceAdapterFactory} is public; the engine
 * reaches the rest through the SPI. Uses only the core's {@code spi}, {@code model} and
 * {@code http} packages.
 */
package com.castiel.sync.adapters.salesforce;
