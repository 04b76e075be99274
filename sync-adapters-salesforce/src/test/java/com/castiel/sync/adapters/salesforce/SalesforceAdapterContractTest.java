package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.testkit.contract.ProviderAdapterContract;
import com.castiel.sync.testkit.contract.ProviderFixture;

/**
 * The adapter contract against the fake Salesforce org, read and write sides. Salesforce
 * answers query batches of 200 to 2,000 rows, so the paging tests use 450 records and pages of 200.
 */
class SalesforceAdapterContractTest extends ProviderAdapterContract {

    @Override
    protected ProviderAdapterFactory factory() {
        return new SalesforceAdapterFactory();
    }

    @Override
    protected ProviderFixture startFixture() {
        return new SalesforceFixture();
    }

    @Override
    protected int pagingRecordCount() {
        return 450;
    }

    @Override
    protected int smallPageSize() {
        return 200;
    }
}
