package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookResponse;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Salesforce REST API adapter of one integration. See {@code docs/adapters/SALESFORCE.md}.
 *
 * <ul>
 *   <li><b>Read</b>: SOQL scans in (SystemModstamp, Id) order with pull filters and a keyset
 *       watermark, paged by {@code nextRecordsUrl} ({@link QueryPages}); records by id;
 *       deletions from the delete log or {@code queryAll} ({@link DeletedRecords}).</li>
 *   <li><b>Write</b>: sObject resources and sObject Collections ({@link RecordWriter}).</li>
 *   <li><b>Webhooks</b>: Outbound Messages, verified by the org id ({@link OutboundMessage}).</li>
 *   <li><b>Auth</b>: refresh-token, JWT-bearer and client-credentials grants ({@link TokenGrant}).</li>
 * </ul>
 *
 * Thread-safe: all state is immutable or in the host's HTTP chain.
 */
final class SalesforceAdapter implements ProviderAdapter {

    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.READ, Capability.INCREMENTAL,
            Capability.DELETED_FEED, Capability.FETCH_BY_IDS, Capability.WRITE, Capability.BATCH_WRITE, Capability.UPSERT,
            Capability.CONDITIONAL_WRITE, Capability.WEBHOOKS, Capability.TOKEN_REFRESH));

    /** Ids per {@code Id IN (…)} query, keeping the URL well under Salesforce's 16,384-byte limit. */
    static final int IDS_PER_QUERY = 200;

    private final SalesforceSettings settings;
    private final QueryPages pages;
    private final DeletedRecords deleted;
    private final RecordWriter writer;
    private final TokenGrant grant;

    SalesforceAdapter(AdapterContext context, SalesforceSettings settings) {
        this.settings = settings;
        SalesforceApi api = new SalesforceApi(context, settings);
        this.pages = new QueryPages(api);
        this.deleted = new DeletedRecords(api, context.clock());
        this.writer = new RecordWriter(api);
        this.grant = new TokenGrant(context, settings);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Page fetch(FetchRequest request) {
        String entity = SoqlBuilder.entity(request.entity());
        if (request.cursor() != null) {
            return pages.next(entity, request.cursor());
        }
        String soql = SoqlBuilder.scan(entity, request.fields(), request.filters(), request.since());
        return pages.first(entity, soql, request.pageSize(), false);
    }

    @Override
    public Page fetchDeleted(FetchRequest request) {
        return deleted.fetch(request, pages);
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        String checked = SoqlBuilder.entity(entity);
        Set<String> normalised = new LinkedHashSet<>();
        for (String id : ids) {
            SalesforceId.normalise(id).ifPresent(normalised::add);
        }
        List<String> all = new ArrayList<>(normalised);
        List<ExternalRecord> out = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY));
            out.addAll(pages.all(checked, SoqlBuilder.byIds(checked, fields, chunk)));
        }
        return out;
    }

    @Override
    public WriteResult write(WriteRequest request) {
        return writer.write(request);
    }

    @Override
    public List<WriteResult> writeBatch(List<WriteRequest> requests) {
        return writer.writeBatch(requests);
    }

    @Override
    public int maxBatchSize() {
        return RecordWriter.MAX_COLLECTION;
    }

    /**
     * Outbound Messages carry no signature. What makes one authentic is the unguessable endpoint
     * key in the URL (checked by the host) and the {@code OrganizationId} in the body, which must
     * be this integration's org (compared in constant time). Malformed bodies and more than 100
     * notifications are refused with 400, another org with 401. Accepted messages are answered
     * with the {@code notificationsResponse}/{@code Ack} envelope Salesforce waits for.
     */
    @Override
    public WebhookVerdict verifyWebhook(WebhookRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return new WebhookVerdict.Reject(400, "Outbound Messages are POSTed; got " + request.method());
        }
        String expected = settings.requireOrgId();
        OutboundMessage message;
        try {
            message = OutboundMessage.parse(request.body());
        } catch (OutboundMessage.Malformed e) {
            return new WebhookVerdict.Reject(400, "not a Salesforce Outbound Message: " + e.getMessage());
        }
        byte[] got = message.organizationId().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] want = expected.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(got, want)) {
            return new WebhookVerdict.Reject(401, "the Outbound Message comes from another Salesforce org");
        }
        return new WebhookVerdict.Accept(new WebhookResponse(200, "text/xml; charset=utf-8", OutboundMessage.ackBytes()));
    }

    /**
     * One notice per distinct notification id. A notice carries the record when the message
     * includes {@code SystemModstamp}; otherwise the engine refetches the record by id.
     *
     * @throws SyncException.Validation when the payload is not an Outbound Message
     */
    @Override
    public List<ChangeNotice> parseWebhook(WebhookPayload payload) {
        OutboundMessage message;
        try {
            message = OutboundMessage.parse(payload.body().getBytes(StandardCharsets.UTF_8));
        } catch (OutboundMessage.Malformed e) {
            throw new SyncException.Validation("the queued webhook is not a Salesforce Outbound Message: " + e.getMessage(), null,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
        }
        List<ChangeNotice> notices = new ArrayList<>(message.notifications().size());
        for (OutboundMessage.Notification n : message.notifications()) {
            notices.add(new ChangeNotice(n.entity(), n.recordId(), false, n.record(), n.modifiedAt(), n.id()));
        }
        return notices;
    }

    @Override
    public Credentials refreshCredentials(Credentials current) {
        return grant.refresh(current);
    }

    @Override
    public void close() {
        // nothing to release: connections belong to the host's transport
    }
}
