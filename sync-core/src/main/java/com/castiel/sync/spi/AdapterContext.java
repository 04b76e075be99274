package com.castiel.sync.spi;

import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import java.time.Clock;
import java.time.Duration;

/**
 * What the host gives an adapter: narrow, never the engine itself. One context per integration;
 * it stays valid for the adapter's lifetime. Thread-safe.
 */
public interface AdapterContext {

    IntegrationId integrationId();

    TenantId tenantId();

    /** The clock adapters must use instead of {@code Instant.now()}. */
    Clock clock();

    /**
     * An HTTP client for provider API calls. Its chain, in order: request-level retry of
     * transient failures (bounded, honouring {@code Retry-After}), the {@code Authorization}
     * header from the current credentials with refresh-once-and-replay on
     * {@link SyncException.AuthExpired}, rate-limit acquire for this provider and tenant (one
     * permit per exchange, a replay included), a default per-attempt timeout,
     * a redacting request log and {@code classifier} applied to every reply (a
     * {@code Retry-After} header the classifier did not read is attached to the
     * {@code RateLimited} or {@code Transient} failure it returned). A call that already carries
     * an {@code Authorization} header keeps it and is never refreshed. Build it once, in the
     * adapter's constructor.
     */
    SyncHttpClient apiClient(HttpErrorClassifier classifier);

    /**
     * An HTTP client for the provider's token endpoint: the same chain without the authorization
     * header and refresh steps (a token request must never trigger a token refresh).
     */
    SyncHttpClient tokenClient(HttpErrorClassifier classifier);

    /**
     * The integration's current credentials, refreshed by the host first when the access token
     * is missing or about to expire (so {@code instanceUrl()} is the one the grant returned).
     * Never {@code null}. May perform a token request: never call it from
     * {@link ProviderAdapter#verifyWebhook}; use {@link #storedCredentials()} there.
     */
    Credentials credentials();

    /**
     * The integration's credentials as stored, without any refresh or network I/O: for reading
     * long-lived secrets (webhook signing secrets, client ids) on hot paths such as webhook
     * verification. Never {@code null}.
     */
    default Credentials storedCredentials() {
        return credentials();
    }

    /**
     * Tells the rate limiter what the provider reported about its quota (Salesforce
     * {@code Sforce-Limit-Info: api-usage=N/M}), so the host slows down before the limit.
     */
    void reportUsage(long used, long limit);

    /** Tells the rate limiter the provider asked for a pause (a 429 without the chain seeing it). */
    void reportPause(Duration pause);
}
