package com.castiel.sync.testkit.reference;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.testkit.contract.ProviderFixture;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestJournal;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Drives a {@link ReferenceProviderServer} for the contract and the reference tests. */
final class ReferenceFixture implements ProviderFixture {

    static final String ENTITY = "contacts";

    final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T09:00:00Z"));
    final ReferenceProviderServer server = new ReferenceProviderServer(clock).start();
    private final Credentials credentials = server.connect();

    @Override
    public ProviderSettings settings() {
        return server.settings();
    }

    @Override
    public Credentials credentials() {
        return credentials;
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
        return RequestMatcher.pathStartsWith("/v1/");
    }

    @Override
    public String entity() {
        return ENTITY;
    }

    @Override
    public ObjectNode newRecordFields(int n) {
        return JsonNodeFactory.instance.objectNode()
                .put("name", "Contact " + n)
                .put("email", "contact" + n + "@example.test")
                .put("score", n * 10)
                .put("active", n % 2 == 0);
    }

    @Override
    public ObjectNode changedFields(int n) {
        return JsonNodeFactory.instance.objectNode().put("email", "changed" + n + "@example.test").put("score", 1000 + n);
    }

    @Override
    public InvalidWrite invalidWrite() {
        return new InvalidWrite(JsonNodeFactory.instance.objectNode().put("name", "Bad score").put("score", "high"), "score");
    }

    @Override
    public String upsertField() {
        return "external_key";
    }

    @Override
    public String seed(ObjectNode fields) {
        return server.store().create(ENTITY, fields).id();
    }

    @Override
    public void modify(String id, ObjectNode fields) {
        server.store().update(ENTITY, id, fields);
    }

    @Override
    public void delete(String id) {
        server.store().delete(ENTITY, id);
    }

    @Override
    public Optional<ObjectNode> fieldsOf(String id) {
        return server.store().get(ENTITY, id).map(r -> r.fields());
    }

    @Override
    public void inject(Fault fault, int times) {
        server.faults().next(times, apiRequests(), fault);
    }

    @Override
    public void expireAccessTokens() {
        server.tokens().expireAllAccessTokens();
    }

    @Override
    public void revokeRefreshTokens() {
        server.tokens().revokeAllRefreshTokens();
    }

    @Override
    public WebhookRequest webhookAnnouncing(String id) {
        return server.webhookFor(List.of(server.store().get(ENTITY, id).orElseThrow())).toRequest(clock.instant());
    }

    @Override
    public Optional<WebhookRequest> staleWebhookAnnouncing(String id) {
        WebhookRequest fresh = webhookAnnouncing(id);
        return Optional.of(server.sign(fresh.body(), clock.instant().minus(Duration.ofMinutes(6))).toRequest(clock.instant()));
    }

    @Override
    public void close() {
        server.close();
        if (!server.handlerFailures().isEmpty()) {
            throw new AssertionError("the reference server failed internally: " + server.handlerFailures());
        }
    }
}
