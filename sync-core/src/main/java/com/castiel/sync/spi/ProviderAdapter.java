package com.castiel.sync.spi;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.WebhookPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Talks to one external system on behalf of one integration.
 *
 * <p><b>Threading.</b> Instances are thread-safe; the engine may call read and write methods
 * from several virtual threads at once. Calls block; adapters never return reactive types.
 *
 * <p><b>Errors.</b> Every method throws only {@link SyncException} subtypes, classified at the
 * edge. Adapters never retry on their own: the HTTP client from {@link AdapterContext} does
 * request-level retries and the engine does job-level retries.
 *
 * <p><b>Capabilities.</b> Methods guarded by a {@link Capability} are called only when the
 * adapter declares it; the default implementations throw {@link SyncException.Configuration}.
 */
public interface ProviderAdapter extends AutoCloseable {

    /** What this adapter can do. */
    Set<Capability> capabilities();

    /**
     * Reads one page of an entity.
     *
     * <p>Without a cursor, starts a scan: all records when {@code since} and {@code deltaToken}
     * are null, records after {@code since} in (stamp, id) order for {@link Capability#INCREMENTAL}
     * adapters, or changes since {@code deltaToken} for {@link Capability#DELTA} adapters. With a
     * cursor, continues the scan that produced it. A scan visits every matching record at least
     * once; records changed during a scan may appear again later in the same scan.
     *
     * @throws SyncException.Configuration when the entity, fields or filters cannot be queried
     *     (the message names which)
     * @throws SyncException.NotFound when the cursor expired; the engine restarts a scan in
     *     (stamp, id) order after the last record it wrote, and any other scan (a delta scan, an
     *     adapter without {@link Capability#INCREMENTAL}) from its start
     */
    Page fetch(FetchRequest request);

    /**
     * Reads deletions ({@link Capability#DELETED_FEED}): tombstones after {@code since}, in
     * ascending deletion time. {@code fields}, {@code filters} and {@code deltaToken} are ignored.
     *
     * @throws SyncException.Validation when the provider no longer covers {@code since} (its
     *     delete log was purged); the engine then falls back to a full scan with a sweep
     */
    default Page fetchDeleted(FetchRequest request) {
        throw unsupported(Capability.DELETED_FEED);
    }

    /**
     * Reads specific records ({@link Capability#FETCH_BY_IDS}). Ids that do not exist (or were
     * deleted) are simply absent from the result. Order is unspecified.
     */
    default List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        throw unsupported(Capability.FETCH_BY_IDS);
    }

    /**
     * Writes one record ({@link Capability#WRITE}). Per-record failures are returned, not thrown;
     * only failures of the whole exchange (auth, rate limit, transport) are thrown.
     */
    default WriteResult write(WriteRequest request) {
        throw unsupported(Capability.WRITE);
    }

    /**
     * Writes several records in as few provider calls as possible ({@link Capability#BATCH_WRITE});
     * at most {@link #maxBatchSize()} per call. Returns one result per request, in request
     * order. A failure of one record never fails the others; only failures of a whole exchange
     * are thrown. Without the capability, writes one at a time.
     */
    default List<WriteResult> writeBatch(List<WriteRequest> requests) {
        List<WriteResult> results = new ArrayList<>(requests.size());
        for (WriteRequest r : requests) {
            results.add(write(r));
        }
        return results;
    }

    /** The most records one provider batch call takes (200 for Salesforce collections). */
    default int maxBatchSize() {
        return 1;
    }

    /**
     * Decides whether a webhook request is authentic ({@link Capability#WEBHOOKS}), on the raw
     * bytes, in constant time for secret comparisons. Must be fast and must not call the provider:
     * it runs on the receiving thread before anything is queued.
     */
    default WebhookVerdict verifyWebhook(WebhookRequest request) {
        throw unsupported(Capability.WEBHOOKS);
    }

    /**
     * Turns a verified payload into change notices ({@link Capability#WEBHOOKS}); runs in the
     * worker after the payload was queued.
     *
     * @throws SyncException.Validation when the payload cannot be parsed
     */
    default List<ChangeNotice> parseWebhook(WebhookPayload payload) {
        throw unsupported(Capability.WEBHOOKS);
    }

    /**
     * Obtains new tokens with the adapter's grant ({@link Capability#TOKEN_REFRESH}), using the
     * context's token client. Returns {@code current.withGrant(...)}: a rotated refresh token
     * replaces the old one, a missing one keeps it. The host serialises calls per integration
     * and persists the result.
     *
     * @throws SyncException.AuthFailed when the grant is refused ({@code invalid_grant})
     */
    default Credentials refreshCredentials(Credentials current) {
        throw unsupported(Capability.TOKEN_REFRESH);
    }

    /** Releases resources; the adapter is not used afterwards. */
    @Override
    default void close() {
    }

    private SyncException unsupported(Capability capability) {
        return new SyncException.Configuration(getClass().getSimpleName() + " does not support " + capability);
    }
}
