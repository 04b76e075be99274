package com.castiel.sync.testkit.reference;

import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.testkit.contract.ProviderAdapterContract;
import com.castiel.sync.testkit.contract.ProviderFixture;

/** The reference adapter against the reference provider: every capability, every contract test. */
class ReferenceAdapterContractTest extends ProviderAdapterContract {

    @Override
    protected ProviderAdapterFactory factory() {
        return new ReferenceAdapterFactory();
    }

    @Override
    protected ProviderFixture startFixture() {
        return new ReferenceFixture();
    }
}
