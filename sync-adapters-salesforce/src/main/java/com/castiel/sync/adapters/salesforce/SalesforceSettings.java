package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The non-secret settings of a Salesforce integration, validated once when the adapter is
 * created.
 *
 * @param apiVersion REST API version, e.g. {@code v62.0} (setting {@code apiVersion}, default
 *     {@value #DEFAULT_API_VERSION}; 46.0 or later, for upsert answers that say whether a record
 *     was created)
 * @param instanceUrl REST base URL before the first token answer says otherwise (setting
 *     {@code instanceUrl}, optional: the token response's {@code instance_url} wins)
 * @param loginUrl authorisation server (setting {@code loginUrl}, default
 *     {@value #DEFAULT_LOGIN_URL}; {@code https://test.salesforce.com} for sandboxes, or a My
 *     Domain URL, required for client credentials)
 * @param orgId the org's id, 18 characters (setting {@code orgId}, 15 or 18 characters;
 *     required to accept Outbound Messages), or {@code null}
 * @param authFlow token grant (setting {@code authFlow}, default {@code refresh_token})
 */
record SalesforceSettings(String apiVersion, URI instanceUrl, URI loginUrl, String orgId, AuthFlow authFlow) {

    static final String PROVIDER = "salesforce";
    static final String DEFAULT_API_VERSION = "v62.0";
    static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";

    private static final Pattern VERSION = Pattern.compile("v?(\\d{2,3})\\.(\\d)");

    SalesforceSettings {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(loginUrl, "loginUrl");
        Objects.requireNonNull(authFlow, "authFlow");
    }

    /**
     * Reads and checks the settings.
     *
     * @throws SyncException.Configuration naming the setting that is malformed
     */
    static SalesforceSettings from(ProviderSettings settings) {
        String version = settings.orDefault("apiVersion", DEFAULT_API_VERSION).trim();
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw invalid("apiVersion", "must look like v62.0, got '" + version + "'");
        }
        if (Integer.parseInt(m.group(1)) < 46) {
            throw invalid("apiVersion", "must be v46.0 or later, got '" + version + "'");
        }
        String apiVersion = "v" + m.group(1) + "." + m.group(2);
        URI login = baseUrl("loginUrl", settings.orDefault("loginUrl", DEFAULT_LOGIN_URL));
        URI instance = settings.optional("instanceUrl").map(v -> baseUrl("instanceUrl", v)).orElse(null);
        String orgId = settings.optional("orgId").map(v -> SalesforceId.normalise(v.trim())
                .orElseThrow(() -> invalid("orgId", "must be a 15- or 18-character Salesforce org id"))).orElse(null);
        if (orgId != null && !orgId.startsWith("00D")) {
            throw invalid("orgId", "must be an organization id (they start with 00D)");
        }
        AuthFlow flow = settings.optional("authFlow").map(v -> AuthFlow.fromSetting(v)
                .orElseThrow(() -> invalid("authFlow", "must be one of " + AuthFlow.accepted() + ", got '" + v + "'")))
                .orElse(AuthFlow.REFRESH_TOKEN);
        return new SalesforceSettings(apiVersion, instance, login, orgId, flow);
    }

    /** The org id, or a configuration error explaining that webhooks need it. */
    String requireOrgId() {
        if (orgId == null) {
            throw invalid("orgId", "is required to accept Outbound Messages: it is the only thing that ties a message to this org");
        }
        return orgId;
    }

    /**
     * Checks a base URL: absolute, no query or fragment, HTTPS unless it is a loopback address
     * (tests and local fakes), so tokens never travel in clear text to a remote host.
     *
     * @throws SyncException.Configuration naming {@code key}
     */
    static URI baseUrl(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw invalid(key, "is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw invalid(key, "must be an absolute URL like https://example.my.salesforce.com without query, fragment or user info");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback(uri.getHost()))) {
            throw invalid(key, "must use https (http is accepted only for loopback addresses)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return URI.create(scheme + "://" + uri.getRawAuthority() + trimmed);
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }

    /**
     * Checks the {@code instance_url} a token answer (or the stored credentials) carries, with the
     * same rules as the settings.
     *
     * @return empty when there is none
     * @throws SyncException.Configuration when it is not an acceptable base URL
     */
    static Optional<URI> checkedInstanceUrl(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(baseUrl("instanceUrl", value));
        } catch (SyncException.Configuration e) {
            throw new SyncException.Configuration("the instance_url Salesforce returned with the token is unusable: "
                    + e.getMessage().replace("setting 'instanceUrl' ", ""), SyncException.Details.of(PROVIDER, 0, null));
        }
    }

    private static SyncException.Configuration invalid(String key, String problem) {
        return new SyncException.Configuration("setting '" + key + "' " + problem, SyncException.Details.of(PROVIDER, 0, null));
    }
}
