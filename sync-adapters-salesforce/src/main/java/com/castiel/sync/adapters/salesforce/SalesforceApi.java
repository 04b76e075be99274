package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.ApiUsage;
import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The REST API of one org, through the host's HTTP chain: builds URLs on the current instance
 * URL ({@code instance_url} of the last token answer, else the {@code instanceUrl} setting),
 * sends, reports {@code Sforce-Limit-Info} usage to the rate limiter, and reads JSON answers.
 * Thread-safe.
 */
final class SalesforceApi {

    private static final Pattern API_PATH = Pattern.compile("/services/data/v\\d+\\.\\d/[A-Za-z0-9_./\\-]+");

    private final AdapterContext context;
    private final SalesforceSettings settings;
    private final SyncHttpClient client;

    SalesforceApi(AdapterContext context, SalesforceSettings settings) {
        this.context = context;
        this.settings = settings;
        this.client = context.apiClient(new SalesforceErrorClassifier());
    }

    /** {@code /services/data/vXX.X} + {@code path} on the current instance. */
    URI uri(String path) {
        return URI.create(instanceUrl() + path(path));
    }

    /** {@code /services/data/vXX.X} + {@code path}, as composite subrequests name their URLs. */
    String path(String path) {
        return "/services/data/" + settings.apiVersion() + path;
    }

    /**
     * The absolute URL of a path Salesforce handed out ({@code nextRecordsUrl}).
     *
     * @throws SyncException.NotFound when it is not a REST API path (not something this adapter
     *     produced), so the engine restarts the scan instead of calling an arbitrary URL
     */
    URI absolute(String apiPath) {
        if (apiPath == null || !API_PATH.matcher(apiPath).matches() || apiPath.contains("..")) {
            throw new SyncException.NotFound("the cursor is not a Salesforce query locator path; restarting the scan",
                    SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
        }
        return URI.create(instanceUrl() + apiPath);
    }

    HttpReply get(URI uri, Map<String, String> headers) {
        HttpCall call = HttpCall.get(uri).withHeader("accept", "application/json");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            call = call.withHeader(h.getKey(), h.getValue());
        }
        return send(call);
    }

    HttpReply send(String method, URI uri, JsonNode body, Map<String, String> headers) {
        HttpCall call = body == null ? new HttpCall(method, uri, Map.of(), null, null) : HttpCall.json(method, uri, SyncJson.writeBytes(body));
        call = call.withHeader("accept", "application/json");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            call = call.withHeader(h.getKey(), h.getValue());
        }
        return send(call);
    }

    private HttpReply send(HttpCall call) {
        HttpReply reply = client.send(call);
        ApiUsage.of(reply).ifPresent(u -> context.reportUsage(u.used(), u.limit()));
        return reply;
    }

    /**
     * The body as JSON.
     *
     * @throws SyncException.Transient when a success carries no readable JSON (a truncated or
     *     corrupted answer; retrying is the only remedy)
     */
    static JsonNode json(HttpReply reply, String what) {
        try {
            JsonNode node = SyncJson.mapper().readTree(reply.bodyStream());
            if (node == null || node.isMissingNode()) {
                throw new IOException("empty body");
            }
            return node;
        } catch (IOException e) {
            throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "Salesforce answered " + what
                    + " with unreadable JSON (" + e.getClass().getSimpleName() + ")", null,
                    SyncException.Details.of(SalesforceSettings.PROVIDER, reply.status(), null), null);
        }
    }

    /** URL-encodes a query parameter value (spaces as {@code %20}). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-encodes one path segment. */
    static String segment(String value) {
        return encode(value);
    }

    static Map<String, String> headers(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private String instanceUrl() {
        Credentials c = context.credentials();
        Optional<URI> granted = SalesforceSettings.checkedInstanceUrl(c.instanceUrl());
        if (granted.isPresent()) {
            return granted.get().toString();
        }
        if (settings.instanceUrl() != null) {
            return settings.instanceUrl().toString();
        }
        throw new SyncException.Configuration("no Salesforce instance URL is known: the stored credentials carry no instance_url "
                + "and setting 'instanceUrl' is not set", SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
    }
}
