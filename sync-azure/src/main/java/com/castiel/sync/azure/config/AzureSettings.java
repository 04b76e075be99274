package com.castiel.sync.azure.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the engine reaches its Azure services, read from the seed's app settings. Where a key or
 * connection string is absent the service is reached with the app's managed identity
 * ({@code DefaultAzureCredential}; {@code AZURE_CLIENT_ID} selects a user-assigned identity).
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th></tr>
 *   <tr><td>{@code SERVICEBUS_SYNC_CONNECTION}</td><td>Service Bus connection string; or, for managed
 *       identity, {@code SERVICEBUS_SYNC_CONNECTION__fullyQualifiedNamespace}
 *       ({@code <name>.servicebus.windows.net}, the Functions identity-connection convention)</td></tr>
 *   <tr><td>{@code KEY_VAULT_URL}</td><td>vault URL (always managed identity)</td></tr>
 *   <tr><td>{@code EVENTGRID_ENDPOINT}, {@code EVENTGRID_KEY}</td><td>topic endpoint; key optional</td></tr>
 *   <tr><td>{@code COSMOS_ENDPOINT}, {@code COSMOS_KEY}</td><td>account endpoint; key optional</td></tr>
 *   <tr><td>{@code COSMOS_DATABASE}</td><td>database name, default {@value #DEFAULT_DATABASE}</td></tr>
 *   <tr><td>{@code MAX_RECORDS_PER_SYNC}</td><td>records per run before a continuation job, default 1000</td></tr>
 *   <tr><td>{@code MAX_CONCURRENT_SYNCS}</td><td>jobs processed at once per instance, default 3</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows a key or connection string.
 *
 * @param serviceBusConnectionString connection string, or {@code null} for managed identity
 * @param serviceBusNamespace fully qualified namespace for managed identity, or {@code null}
 * @param keyVaultUrl vault URL
 * @param eventGridEndpoint topic endpoint
 * @param eventGridKey topic key, or {@code null} for managed identity
 * @param cosmosEndpoint account endpoint
 * @param cosmosKey account key, or {@code null} for managed identity
 * @param cosmosDatabase database name
 * @param maxRecordsPerSync records per run (0 = no limit)
 * @param maxConcurrentSyncs concurrent jobs per instance
 */
public record AzureSettings(
        String serviceBusConnectionString,
        String serviceBusNamespace,
        String keyVaultUrl,
        String eventGridEndpoint,
        String eventGridKey,
        String cosmosEndpoint,
        String cosmosKey,
        String cosmosDatabase,
        int maxRecordsPerSync,
        int maxConcurrentSyncs) {

    public static final String SERVICEBUS_SYNC_CONNECTION = "SERVICEBUS_SYNC_CONNECTION";
    public static final String SERVICEBUS_NAMESPACE = "SERVICEBUS_SYNC_CONNECTION__fullyQualifiedNamespace";
    public static final String KEY_VAULT_URL = "KEY_VAULT_URL";
    public static final String EVENTGRID_ENDPOINT = "EVENTGRID_ENDPOINT";
    public static final String EVENTGRID_KEY = "EVENTGRID_KEY";
    public static final String COSMOS_ENDPOINT = "COSMOS_ENDPOINT";
    public static final String COSMOS_KEY = "COSMOS_KEY";
    public static final String COSMOS_DATABASE = "COSMOS_DATABASE";
    public static final String MAX_RECORDS_PER_SYNC = "MAX_RECORDS_PER_SYNC";
    public static final String MAX_CONCURRENT_SYNCS = "MAX_CONCURRENT_SYNCS";
    public static final String DEFAULT_DATABASE = "castiel-sync";
    public static final int DEFAULT_MAX_RECORDS_PER_SYNC = 1000;
    public static final int DEFAULT_MAX_CONCURRENT_SYNCS = 3;

    public AzureSettings {
        if (serviceBusConnectionString == null && serviceBusNamespace == null) {
            throw new IllegalArgumentException(SERVICEBUS_SYNC_CONNECTION + " (or " + SERVICEBUS_NAMESPACE
                    + " for managed identity) must be set");
        }
        requireHttps(KEY_VAULT_URL, keyVaultUrl);
        requireHttps(EVENTGRID_ENDPOINT, eventGridEndpoint);
        requireHttps(COSMOS_ENDPOINT, cosmosEndpoint);
        Objects.requireNonNull(cosmosDatabase, COSMOS_DATABASE);
        if (maxRecordsPerSync < 0) {
            throw new IllegalArgumentException(MAX_RECORDS_PER_SYNC + " must not be negative, was " + maxRecordsPerSync);
        }
        if (maxConcurrentSyncs < 1) {
            throw new IllegalArgumentException(MAX_CONCURRENT_SYNCS + " must be at least 1, was " + maxConcurrentSyncs);
        }
    }

    /** Reads the settings from the process environment. */
    public static AzureSettings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads the settings from {@code variables} (blank values count as absent).
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static AzureSettings from(Map<String, String> variables) {
        return new AzureSettings(
                value(variables, SERVICEBUS_SYNC_CONNECTION).orElse(null),
                value(variables, SERVICEBUS_NAMESPACE).orElse(null),
                required(variables, KEY_VAULT_URL),
                required(variables, EVENTGRID_ENDPOINT),
                value(variables, EVENTGRID_KEY).orElse(null),
                required(variables, COSMOS_ENDPOINT),
                value(variables, COSMOS_KEY).orElse(null),
                value(variables, COSMOS_DATABASE).orElse(DEFAULT_DATABASE),
                integer(variables, MAX_RECORDS_PER_SYNC, DEFAULT_MAX_RECORDS_PER_SYNC),
                integer(variables, MAX_CONCURRENT_SYNCS, DEFAULT_MAX_CONCURRENT_SYNCS));
    }

    public boolean serviceBusUsesIdentity() {
        return serviceBusConnectionString == null;
    }

    public boolean eventGridUsesIdentity() {
        return eventGridKey == null;
    }

    public boolean cosmosUsesIdentity() {
        return cosmosKey == null;
    }

    private static Optional<String> value(Map<String, String> variables, String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static String required(Map<String, String> variables, String name) {
        return value(variables, name).orElseThrow(() -> new IllegalArgumentException(name + " must be set"));
    }

    private static int integer(Map<String, String> variables, String name, int fallback) {
        Optional<String> v = value(variables, name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + v.get() + "'");
        }
    }

    private static void requireHttps(String name, String url) {
        if (url == null || !url.startsWith("https://")) {
            throw new IllegalArgumentException(name + " must be an https:// URL");
        }
    }

    @Override
    public String toString() {
        return "AzureSettings[serviceBus=" + (serviceBusUsesIdentity() ? serviceBusNamespace + " (managed identity)" : "connection string")
                + ", keyVaultUrl=" + keyVaultUrl
                + ", eventGrid=" + eventGridEndpoint + (eventGridUsesIdentity() ? " (managed identity)" : " (key)")
                + ", cosmos=" + cosmosEndpoint + "/" + cosmosDatabase + (cosmosUsesIdentity() ? " (managed identity)" : " (key)")
                + ", maxRecordsPerSync=" + maxRecordsPerSync + ", maxConcurrentSyncs=" + maxConcurrentSyncs + "]";
    }
}
