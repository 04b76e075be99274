package com.castiel.sync.engine;

import com.castiel.sync.auth.IntegrationTokens;
import com.castiel.sync.http.BearerAuthentication;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpInterceptor;
import com.castiel.sync.http.HttpTransport;
import com.castiel.sync.http.RateLimiting;
import com.castiel.sync.http.RedactingRequestLog;
import com.castiel.sync.http.ReplyClassification;
import com.castiel.sync.http.RequestPermits;
import com.castiel.sync.http.RequestRetry;
import com.castiel.sync.http.RequestRetryPolicy;
import com.castiel.sync.http.RequestTimeout;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.Sleeper;
import com.castiel.sync.spi.AdapterContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The host's {@link AdapterContext} for one integration: HTTP clients with the interceptor chain,
 * the integration's token supplier and its rate-limit permits, the injected clock.
 *
 * <p>API chain, outermost first: {@link RequestRetry} → {@link BearerAuthentication}
 * (refresh-once-and-replay around the {@code Authorization} header) → {@link RateLimiting} →
 * {@link RequestTimeout} → {@link RedactingRequestLog} → {@link ReplyClassification} (the
 * adapter's classifier, with {@code Retry-After} capture) → transport. Rate limiting sits inside
 * the authentication step so every exchange takes a permit, the replay after a refresh included.
 * The token chain is the same without {@link BearerAuthentication}.
 *
 * <p>Usually built by {@link HostAdapterContextFactory}, which also binds the token supplier to
 * the adapter's grant. Thread-safe.
 */
public final class HostAdapterContext implements AdapterContext {

    /**
     * HTTP behaviour of the contexts a host builds.
     *
     * @param retry request-level retry bounds
     * @param requestTimeout per-attempt timeout of API calls that set none
     * @param tokenRequestTimeout per-attempt timeout of token-endpoint calls that set none
     */
    public record HttpSettings(RequestRetryPolicy retry, Duration requestTimeout, Duration tokenRequestTimeout) {

        /** {@link RequestRetryPolicy#DEFAULT}, 60 s per API attempt, 30 s per token attempt. */
        public static final HttpSettings DEFAULT =
                new HttpSettings(RequestRetryPolicy.DEFAULT, Duration.ofSeconds(60), Duration.ofSeconds(30));

        public HttpSettings {
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(tokenRequestTimeout, "tokenRequestTimeout");
        }
    }

    private final IntegrationId integrationId;
    private final TenantId tenantId;
    private final IntegrationTokens tokens;
    private final RequestPermits permits;
    private final HttpTransport transport;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HttpSettings http;

    /**
     * @param tokens the integration's token supplier ({@code TokenLifecycle.tokensFor})
     * @param permits the integration's rate-limit permits ({@code ProviderRateLimiter.permits})
     * @param transport the host's transport, shared by all contexts
     */
    public HostAdapterContext(Integration integration, IntegrationTokens tokens, RequestPermits permits,
                              HttpTransport transport, Clock clock, Sleeper sleeper, HttpSettings http) {
        Objects.requireNonNull(integration, "integration");
        this.integrationId = integration.id();
        this.tenantId = integration.tenantId();
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.permits = Objects.requireNonNull(permits, "permits");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.http = Objects.requireNonNull(http, "http");
        if (!tokens.integrationId().equals(integrationId) || !tokens.tenantId().equals(tenantId)) {
            throw new IllegalArgumentException("token supplier of integration " + tokens.integrationId()
                    + " given to the context of integration " + integrationId);
        }
    }

    @Override
    public IntegrationId integrationId() {
        return integrationId;
    }

    @Override
    public TenantId tenantId() {
        return tenantId;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public SyncHttpClient apiClient(HttpErrorClassifier classifier) {
        Objects.requireNonNull(classifier, "classifier");
        List<HttpInterceptor> chain = List.of(
                new RequestRetry(http.retry(), clock, sleeper::sleep),
                new BearerAuthentication(tokens),
                new RateLimiting(permits),
                new RequestTimeout(http.requestTimeout()),
                new RedactingRequestLog(clock),
                new ReplyClassification(classifier, clock));
        return new SyncHttpClient(chain, transport);
    }

    @Override
    public SyncHttpClient tokenClient(HttpErrorClassifier classifier) {
        Objects.requireNonNull(classifier, "classifier");
        List<HttpInterceptor> chain = List.of(
                new RequestRetry(http.retry(), clock, sleeper::sleep),
                new RateLimiting(permits),
                new RequestTimeout(http.tokenRequestTimeout()),
                new RedactingRequestLog(clock),
                new ReplyClassification(classifier, clock));
        return new SyncHttpClient(chain, transport);
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.castiel.sync.spi.SyncException.AuthFailed when nothing is stored for the
     *     integration or a needed refresh is refused
     */
    @Override
    public Credentials credentials() {
        return tokens.credentials();
    }

    @Override
    public Credentials storedCredentials() {
        return tokens.storedCredentials();
    }

    @Override
    public void reportUsage(long used, long limit) {
        permits.reportUsage(used, limit);
    }

    @Override
    public void reportPause(Duration pause) {
        permits.pause(pause);
    }

    /** The token supplier, for the factory to bind the adapter's grant. */
    IntegrationTokens tokens() {
        return tokens;
    }
}
