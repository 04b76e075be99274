package com.castiel.sync.testkit.contract;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.RequestJournal;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The handle {@link ProviderAdapterContract} uses to drive the fake behind an adapter: wiring
 * (settings, credentials, clock), data (seed, change and delete records directly in the fake,
 * bypassing the adapter), faults, and webhooks. One fixture per test; the contract closes it.
 *
 * <p><b>Clock.</b> The fake must stamp changes with {@link #clock()}, and that clock must stand
 * still until {@link #advanceTime} moves it: the contract relies on changes made without
 * advancing time sharing one modification stamp.
 *
 * <p><b>Data.</b> All records live in one {@link #entity()} that the contract may fill freely.
 * {@code newRecordFields(n)} must give valid, distinct field values for every {@code n}, and
 * {@code changedFields(n)} a valid change of at least one of them.
 */
public interface ProviderFixture extends AutoCloseable {

    // ---- wiring -------------------------------------------------------------------------------

    /** The integration's provider settings pointing at the fake. */
    ProviderSettings settings();

    /** Credentials as a connected integration stores them (the access token may be absent). */
    Credentials credentials();

    /** The clock the fake stamps with; the contract gives the same clock to the adapter. */
    Clock clock();

    /** Moves {@link #clock()} forward. */
    void advanceTime(Duration duration);

    /** The requests the fake received. */
    RequestJournal journal();

    /** Matches the provider's data API requests (not token requests), for faults and journal counts. */
    RequestMatcher apiRequests();

    /** Matches token-endpoint requests; by default everything that is not an API request. */
    default RequestMatcher tokenRequests() {
        return apiRequests().negate();
    }

    // ---- data ---------------------------------------------------------------------------------

    /** The entity the contract reads and writes. */
    String entity();

    /** Valid fields for a new record, distinct for each {@code n}. */
    ObjectNode newRecordFields(int n);

    /** A valid change to a record, distinct for each {@code n}. */
    ObjectNode changedFields(int n);

    /** A write the provider rejects, and the field it names as the reason. */
    InvalidWrite invalidWrite();

    /**
     * The unique field upserts are keyed by (only for adapters declaring {@code UPSERT}); the
     * contract upserts string values of it.
     */
    default String upsertField() {
        throw new UnsupportedOperationException("this fixture has no upsert key");
    }

    /** Creates a record directly in the fake; returns its id. */
    String seed(ObjectNode fields);

    /** Changes a record directly in the fake. */
    void modify(String id, ObjectNode fields);

    /** Deletes a record directly in the fake. */
    void delete(String id);

    /** The record's fields as the fake holds them; empty when it does not exist or was deleted. */
    Optional<ObjectNode> fieldsOf(String id);

    // ---- faults and auth ----------------------------------------------------------------------

    /** Fails the next {@code times} {@linkplain #apiRequests() API requests} with {@code fault}. */
    void inject(Fault fault, int times);

    /** Makes every access token the fake issued so far expired. */
    void expireAccessTokens();

    /** Revokes every refresh token, so the next refresh is refused. */
    void revokeRefreshTokens();

    // ---- webhooks (only for adapters declaring WEBHOOKS) ---------------------------------------

    /** An authentic webhook announcing a change to record {@code id}, as received now. */
    default WebhookRequest webhookAnnouncing(String id) {
        throw new UnsupportedOperationException("this fixture sends no webhooks");
    }

    /**
     * A forged variant of {@link #webhookAnnouncing}. By default the authentic request with one
     * body byte changed; override when the provider's scheme does not cover the body.
     */
    default WebhookRequest forgedWebhookAnnouncing(String id) {
        WebhookRequest real = webhookAnnouncing(id);
        byte[] body = real.body().clone();
        body[body.length / 2] = (byte) (body[body.length / 2] == 'x' ? 'y' : 'x');
        return new WebhookRequest(real.method(), real.headers(), real.query(), body, real.receivedAt());
    }

    /** An authentic webhook signed too long ago, when the provider's scheme has timestamps. */
    default Optional<WebhookRequest> staleWebhookAnnouncing(String id) {
        return Optional.empty();
    }

    /** Stops the fake. */
    @Override
    void close();

    /**
     * A write the provider refuses.
     *
     * @param fields fields to create a record with (or to set on one)
     * @param field the field the provider names as wrong
     */
    record InvalidWrite(ObjectNode fields, String field) {
    }
}
