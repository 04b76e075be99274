package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.ReplyClassification;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * An adapter context whose transport answers scripted replies (recorded Salesforce bodies) and
 * records the calls, with only the reply classification in the chain: for feeding recorded
 * responses through the adapter's own response handling. Single-threaded.
 */
final class ScriptedSalesforce implements AdapterContext {

    static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Deque<HttpReply> replies = new ArrayDeque<>();
    final List<HttpCall> calls = new ArrayList<>();
    Credentials credentials = new Credentials("stored-access", "stored-refresh", null, "https://na1.salesforce.com", NOW,
            Map.of("client_id", "cid", "client_secret", "secret"));

    /** Queues a reply with a JSON or XML body. */
    ScriptedSalesforce reply(int status, String body) {
        String type = body.stripLeading().startsWith("<") ? "text/xml" : "application/json";
        replies.add(new HttpReply(status, Map.of("content-type", List.of(type)), body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    ProviderAdapter adapter(Map<String, String> settings) {
        return new SalesforceAdapterFactory().create(this, new ProviderSettings("salesforce", settings));
    }

    private HttpReply exchange(HttpCall call) {
        calls.add(call);
        HttpReply next = replies.poll();
        if (next == null) {
            throw new AssertionError("no scripted reply left for " + call.describe());
        }
        return next;
    }

    @Override
    public IntegrationId integrationId() {
        return IntegrationId.of("int-scripted");
    }

    @Override
    public TenantId tenantId() {
        return TenantId.of("tenant-scripted");
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public SyncHttpClient apiClient(HttpErrorClassifier classifier) {
        return new SyncHttpClient(List.of(new ReplyClassification(classifier, clock)), this::exchange);
    }

    @Override
    public SyncHttpClient tokenClient(HttpErrorClassifier classifier) {
        return new SyncHttpClient(List.of(new ReplyClassification(classifier, clock)), this::exchange);
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public void reportUsage(long used, long limit) {
    }

    @Override
    public void reportPause(Duration pause) {
    }
}
