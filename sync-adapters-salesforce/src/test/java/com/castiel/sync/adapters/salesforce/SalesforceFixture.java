package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.testkit.contract.ProviderFixture;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestJournal;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.fake.salesforce.FakeSalesforce;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Drives a {@link FakeSalesforce} org for {@link SalesforceAdapterContractTest}: Accounts over refresh-token credentials. */
final class SalesforceFixture implements ProviderFixture {

    static final String ENTITY = "Account";
    private static final List<String> INDUSTRIES = List.of("Retail", "Energy", "Media", "Finance");
    private static final String OTHER_ORG = "00D000000000001AAA";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final FakeSalesforce fake = new FakeSalesforce(clock).start();
    private final Credentials credentials = new Credentials(null, fake.issueRefreshToken(), null, null, null,
            Map.of("client_id", FakeSalesforce.CLIENT_ID, "client_secret", FakeSalesforce.CLIENT_SECRET));

    @Override
    public ProviderSettings settings() {
        return new ProviderSettings("salesforce", Map.of("loginUrl", fake.loginUrl().toString(), "orgId", fake.orgId()));
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
        return fake.journal();
    }

    @Override
    public RequestMatcher apiRequests() {
        return RequestMatcher.pathStartsWith("/services/data/");
    }

    @Override
    public String entity() {
        return ENTITY;
    }

    @Override
    public ObjectNode newRecordFields(int n) {
        return SyncJson.object()
                .put("Name", "Contract Account " + n)
                .put("Industry", INDUSTRIES.get(n % INDUSTRIES.size()))
                .put("NumberOfEmployees", 10 + n)
                .put("BillingCity", "City " + n);
    }

    @Override
    public ObjectNode changedFields(int n) {
        return SyncJson.object().put("BillingCity", "Moved " + n).put("NumberOfEmployees", 5000 + n);
    }

    @Override
    public InvalidWrite invalidWrite() {
        return new InvalidWrite(SyncJson.object().put("Industry", "Retail").put("BillingCity", "No name"), "Name");
    }

    @Override
    public String upsertField() {
        return "External_Id__c";
    }

    @Override
    public String seed(ObjectNode fields) {
        return fake.create(ENTITY, fields);
    }

    @Override
    public void modify(String id, ObjectNode fields) {
        fake.update(ENTITY, id, fields);
    }

    @Override
    public void delete(String id) {
        fake.delete(ENTITY, id);
    }

    @Override
    public Optional<ObjectNode> fieldsOf(String id) {
        return fake.record(ENTITY, id);
    }

    @Override
    public void inject(Fault fault, int times) {
        fake.faults().next(times, apiRequests(), fault);
    }

    @Override
    public void expireAccessTokens() {
        fake.expireAllTokens();
    }

    @Override
    public void revokeRefreshTokens() {
        fake.revokeRefreshTokens();
    }

    @Override
    public WebhookRequest webhookAnnouncing(String id) {
        return fake.outboundMessage(ENTITY, List.of(id), List.of("Name", "Industry", "SystemModstamp")).toRequest(clock.instant());
    }

    /** Outbound Messages are unsigned: a forgery is a well-formed message claiming to come from this endpoint but another org. */
    @Override
    public WebhookRequest forgedWebhookAnnouncing(String id) {
        WebhookRequest real = webhookAnnouncing(id);
        byte[] forged = real.bodyText().replace(fake.orgId(), OTHER_ORG).getBytes(StandardCharsets.UTF_8);
        return new WebhookRequest(real.method(), real.headers(), real.query(), forged, real.receivedAt());
    }

    @Override
    public void close() {
        fake.close();
        if (!fake.handlerFailures().isEmpty()) {
            throw new AssertionError("the fake Salesforce failed internally: " + fake.handlerFailures());
        }
    }
}
