package com.castiel.sync.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.FilterOperator;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.testkit.adapter.ContractHost;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reference-specific behaviour the generic contract does not cover. */
class ReferenceAdapterTest {

    private final ReferenceFixture fixture = new ReferenceFixture();
    private final ContractHost host = new ContractHost(new ReferenceAdapterFactory(), fixture.settings(), fixture.credentials(),
            fixture.clock(), Duration.ofSeconds(10));
    private final ProviderAdapter adapter = host.openAdapter();

    @AfterEach
    void stop() {
        adapter.close();
        host.close();
        fixture.close();
    }

    private FetchRequest all(List<PullFilter> filters) {
        return new FetchRequest("contacts", List.of("name", "score"), filters, null, null, null, 50);
    }

    @Test
    void equalityPullFiltersAreSentToTheProvider() {
        fixture.seed(fixture.newRecordFields(1));
        String wanted = fixture.seed(fixture.newRecordFields(2));
        Page page = adapter.fetch(all(List.of(new PullFilter("contacts", "score", FilterOperator.EQ, IntNode.valueOf(20)))));
        assertThat(page.records()).extracting(r -> r.id()).containsExactly(wanted);
        assertThat(fixture.journal().last().orElseThrow().queryParam("filter.score")).contains("20");
    }

    @Test
    void filtersForOtherEntitiesAreIgnored() {
        fixture.seed(fixture.newRecordFields(1));
        Page page = adapter.fetch(all(List.of(new PullFilter("accounts", "score", FilterOperator.GT, IntNode.valueOf(5)))));
        assertThat(page.records()).hasSize(1);
    }

    @Test
    void unsupportedFilterOperatorIsAConfigurationErrorNamingTheField() {
        assertThatThrownBy(() -> adapter.fetch(all(List.of(new PullFilter(null, "score", FilterOperator.GT, IntNode.valueOf(5))))))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("'score'").hasMessageContaining("gt");
        assertThat(fixture.journal().totalCount()).isZero();
    }

    @Test
    void unknownEntityIsAConfigurationError() {
        assertThatThrownBy(() -> adapter.fetch(new FetchRequest("leads", List.of(), List.of(), null, null, null, 10)))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("leads");
    }

    @Test
    void unknownFieldInAReadIsAConfigurationErrorNamingIt() {
        assertThatThrownBy(() -> adapter.fetch(new FetchRequest("contacts", List.of("nickname"), List.of(), null, null, null, 10)))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("nickname");
    }

    @Test
    void aCursorTheProviderDoesNotRecogniseIsNotFoundSoTheEngineRestarts() {
        assertThatThrownBy(() -> adapter.fetch(all(List.of()).withCursor("bm9wZQ")))
                .isInstanceOf(SyncException.NotFound.class);
    }

    @Test
    void purgedDeleteLogIsAValidationErrorSoTheEngineFallsBackToAFullScan() {
        String id = fixture.seed(fixture.newRecordFields(1));
        fixture.delete(id);
        fixture.advanceTime(Duration.ofDays(2));
        fixture.server.store().purgeTombstones("contacts", fixture.clock().instant().minus(Duration.ofDays(1)));
        Watermark old = new Watermark(Instant.parse("2024-01-01T00:00:00Z"), "");
        assertThatThrownBy(() -> adapter.fetchDeleted(new FetchRequest("contacts", List.of(), List.of(), old, null, null, 10)))
                .isInstanceOf(SyncException.Validation.class);
    }

    @Test
    void conditionalDeleteWithAStaleVersionIsAConflict() {
        String id = fixture.seed(fixture.newRecordFields(1));
        String stale = fixture.server.store().get("contacts", id).orElseThrow().etag();
        fixture.modify(id, fixture.changedFields(1));
        WriteResult r = adapter.write(WriteRequest.delete("contacts", id).withPreconditions(stale, null));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class, f -> assertThat(f.error()).isInstanceOf(SyncException.Conflict.class));
        assertThat(fixture.fieldsOf(id)).isPresent();
    }

    @Test
    void ifUnmodifiedSinceBeforeTheLastChangeIsAConflict() {
        String id = fixture.seed(fixture.newRecordFields(1));
        Instant read = fixture.clock().instant();
        fixture.advanceTime(Duration.ofSeconds(5));
        fixture.modify(id, fixture.changedFields(1));
        WriteResult r = adapter.write(WriteRequest.update("contacts", id, fixture.changedFields(2)).withPreconditions(null, read));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class, f -> assertThat(f.error()).isInstanceOf(SyncException.Conflict.class));
    }

    @Test
    void duplicateUniqueValueIsAValidationErrorNamingTheField() {
        fixture.seed(fixture.newRecordFields(1).put("external_key", "k-1"));
        WriteResult r = adapter.write(WriteRequest.create("contacts", fixture.newRecordFields(2).put("external_key", "k-1")));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class,
                f -> assertThat(f.error()).isInstanceOfSatisfying(SyncException.Validation.class, v -> assertThat(v.field()).isEqualTo("external_key")));
    }

    @Test
    void missingRequiredFieldIsAValidationErrorNamingIt() {
        WriteResult r = adapter.write(WriteRequest.create("contacts", SyncJson.object().put("email", "x@example.test")));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class,
                f -> assertThat(f.error()).isInstanceOfSatisfying(SyncException.Validation.class, v -> assertThat(v.field()).isEqualTo("name")));
    }

    @Test
    void challengeIsAnsweredAsAHandshakeEchoingTheChallenge() {
        WebhookVerdict v = adapter.verifyWebhook(fixture.server.challenge("c-123").toRequest(fixture.clock().instant()));
        assertThat(v).isInstanceOfSatisfying(WebhookVerdict.Handshake.class, h -> {
            assertThat(h.response().status()).isEqualTo(200);
            assertThat(new String(h.response().body(), StandardCharsets.UTF_8)).isEqualTo("{\"challenge\":\"c-123\"}");
        });
    }

    @Test
    void webhookWithoutSignatureHeadersIsRejectedAsForged() {
        var real = fixture.webhookAnnouncing(fixture.seed(fixture.newRecordFields(1)));
        var unsigned = new com.castiel.sync.spi.WebhookRequest("POST", Map.of(), Map.of(), real.body(), real.receivedAt());
        assertThat(adapter.verifyWebhook(unsigned)).isInstanceOfSatisfying(WebhookVerdict.Reject.class, r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void deletionWebhookBecomesADeletedNotice() {
        String id = fixture.seed(fixture.newRecordFields(1));
        var tombstone = fixture.server.store().delete("contacts", id);
        var delivery = fixture.server.webhookFor(List.of(tombstone));
        var notices = adapter.parseWebhook(new WebhookPayload("application/json", delivery.bodyText(), Map.of(), fixture.clock().instant()));
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.externalId()).isEqualTo(id);
            assertThat(n.deleted()).isTrue();
            assertThat(n.record()).isNull();
            assertThat(n.notificationId()).isNotBlank();
        });
    }

    @Test
    void unparseableWebhookPayloadIsAValidationError() {
        assertThatThrownBy(() -> adapter.parseWebhook(new WebhookPayload("application/json", "{\"type\":\"changes\"}", Map.of(), Instant.EPOCH)))
                .isInstanceOf(SyncException.Validation.class);
    }

    @Test
    void rotatedRefreshTokenReplacesTheStoredOne() {
        fixture.server.tokens().rotateRefreshTokens(true);
        var before = host.storedCredentials();
        var after = adapter.refreshCredentials(before);
        assertThat(after.refreshToken()).isNotBlank().isNotEqualTo(before.refreshToken());
        assertThat(after.expiresAt()).isEqualTo(fixture.clock().instant().plus(Duration.ofHours(1)));
    }

    @Test
    void factoryRejectsABaseUrlThatIsNotHttp() {
        assertThatThrownBy(() -> new ReferenceAdapterFactory().create(host.context(), new ProviderSettings("reference", Map.of("baseUrl", "ftp://x"))))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> new ReferenceAdapterFactory().create(host.context(), new ProviderSettings("reference", Map.of())))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("baseUrl");
    }

    @Test
    void secretsNeverAppearInFailureMessages() {
        fixture.revokeRefreshTokens();
        var creds = host.storedCredentials();
        assertThatThrownBy(() -> adapter.fetch(all(List.of())))
                .isInstanceOf(SyncException.AuthFailed.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(creds.refreshToken(), creds.property("client_secret").orElseThrow()));
    }

    @Test
    void pullFilterValueIsSentAsText() {
        fixture.seed(fixture.newRecordFields(1));
        adapter.fetch(all(List.of(new PullFilter(null, "name", FilterOperator.EQ, TextNode.valueOf("Contact 1")))));
        assertThat(fixture.journal().last().orElseThrow().queryParam("filter.name")).contains("Contact 1");
    }
}
