package com.example.ticketdesk;

import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.testkit.contract.ProviderAdapterContract;
import com.castiel.sync.testkit.contract.ProviderFixture;

/**
 * Everything the engine's adapter contract asks of a provider, checked against the fake Ticket
 * Desk. Tests for capabilities Ticket Desk lacks (deleted feed, batch, webhooks…) are skipped.
 */
class TicketDeskAdapterContractTest extends ProviderAdapterContract {

    @Override
    protected ProviderAdapterFactory factory() {
        return new TicketDeskAdapterFactory();
    }

    @Override
    protected ProviderFixture startFixture() {
        return new TicketDeskFixture();
    }
}
