package com.example.ticketdesk;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.testkit.contract.ProviderFixture;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestJournal;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Drives the fake Ticket Desk for the contract suite. */
final class TicketDeskFixture implements ProviderFixture {

    private final MutableClock clock = MutableClock.at("2024-05-01T08:00:00Z");
    private final TicketDeskServer server = new TicketDeskServer(clock);

    TicketDeskFixture() {
        server.start();
    }

    @Override
    public ProviderSettings settings() {
        return new ProviderSettings("ticketdesk", Map.of("baseUrl", server.baseUrl().toString()));
    }

    @Override
    public Credentials credentials() {
        return Credentials.ofProperties(Map.of("client_id", TicketDeskServer.CLIENT_ID, "client_secret", server.clientSecret()));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void advanceTime(Duration duration) {
        clock.advance(duration);
    }

    @Override
    public RequestJournal journal() {
        return server.journal();
    }

    @Override
    public RequestMatcher apiRequests() {
        return RequestMatcher.pathStartsWith("/api/");
    }

    @Override
    public String entity() {
        return "tickets";
    }

    @Override
    public ObjectNode newRecordFields(int n) {
        return JsonNodeFactory.instance.objectNode().put("subject", "Printer on fire #" + n).put("status", "open").put("priority", 1 + n % 4);
    }

    @Override
    public ObjectNode changedFields(int n) {
        return JsonNodeFactory.instance.objectNode().put("status", n % 2 == 0 ? "closed" : "pending").put("subject", "Updated #" + n);
    }

    @Override
    public InvalidWrite invalidWrite() {
        return new InvalidWrite(JsonNodeFactory.instance.objectNode().put("subject", "Too urgent").put("priority", 9), "priority");
    }

    @Override
    public String seed(ObjectNode fields) {
        return server.store.create("tickets", fields).id();
    }

    @Override
    public void modify(String id, ObjectNode fields) {
        server.store.update("tickets", id, fields);
    }

    @Override
    public void delete(String id) {
        server.store.delete("tickets", id);
    }

    @Override
    public Optional<ObjectNode> fieldsOf(String id) {
        return server.store.get("tickets", id).map(r -> r.fields());
    }

    @Override
    public void inject(Fault fault, int times) {
        server.faults().next(times, apiRequests(), fault);
    }

    @Override
    public void expireAccessTokens() {
        server.tokens.expireAllAccessTokens();
    }

    /** Ticket Desk has no refresh tokens; the equivalent is the client secret being rotated. */
    @Override
    public void revokeRefreshTokens() {
        server.rotateClientSecret();
    }

    @Override
    public void close() {
        server.close();
        if (!server.handlerFailures().isEmpty()) {
            throw new AssertionError("the fake Ticket Desk failed internally: " + server.handlerFailures());
        }
    }
}
