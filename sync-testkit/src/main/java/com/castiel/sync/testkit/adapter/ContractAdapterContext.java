package com.castiel.sync.testkit.adapter;

import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpInterceptor;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.JdkHttpTransport;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The test kit's {@link AdapterContext}: what {@code ProviderAdapterContract} gives the adapter
 * under test. It is the host's context reduced to what makes an adapter's behaviour observable,
 * and deliberately nothing more:
 *
 * <ul>
 *   <li><b>API client chain:</b> refresh-once-and-replay on {@link SyncException.AuthExpired}
 *       (plus a refresh before the first call when there is no unexpired access token), the
 *       {@code Authorization: Bearer} header from the current credentials, then the adapter's
 *       classifier on every reply, over a {@link JdkHttpTransport}.</li>
 *   <li><b>Token client chain:</b> the classifier only.</li>
 *   <li><b>No request-level retries and no rate limiting</b>, unlike the host: every injected
 *       fault must reach the adapter's classification so the contract can assert it.</li>
 *   <li>Credentials live in memory; usage and pause reports are recorded for assertions.</li>
 * </ul>
 *
 * <p>Refresh goes through {@link ProviderAdapter#refreshCredentials}, so bind the adapter with
 * {@link #refreshWith} after creating it. Refreshes are serialised: concurrent callers that saw
 * the same stale credentials cause one grant, as the host's single-flight refresh does.
 *
 * <p>Thread-safe. {@link #close()} releases the HTTP client.
 */
public final class ContractAdapterContext implements AdapterContext, AutoCloseable {

    private final Clock clock;
    private final IntegrationId integrationId;
    private final TenantId tenantId;
    private final HttpClient httpClient;
    private final JdkHttpTransport transport;
    private final AtomicReference<Credentials> credentials;
    private final AtomicInteger refreshes = new AtomicInteger();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final AtomicReference<long[]> usage = new AtomicReference<>();
    private volatile UnaryOperator<Credentials> refresher;

    /**
     * @param clock the clock given to the adapter
     * @param initial the integration's credentials (may hold only a refresh token)
     * @param requestTimeout per-request response timeout of the transport
     */
    public ContractAdapterContext(Clock clock, Credentials initial, Duration requestTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.credentials = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.integrationId = IntegrationId.of("contract-integration");
        this.tenantId = TenantId.of("contract-tenant");
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.transport = new JdkHttpTransport(httpClient, requestTimeout);
    }

    /** Uses {@code adapter.refreshCredentials} for refreshes when it declares {@link Capability#TOKEN_REFRESH}. */
    public void refreshWith(ProviderAdapter adapter) {
        this.refresher = adapter.capabilities().contains(Capability.TOKEN_REFRESH) ? adapter::refreshCredentials : null;
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
        return new SyncHttpClient(List.of(this::refreshOnce, this::authorize, classifying(classifier)), transport);
    }

    @Override
    public SyncHttpClient tokenClient(HttpErrorClassifier classifier) {
        return new SyncHttpClient(List.of(classifying(classifier)), transport);
    }

    @Override
    public Credentials credentials() {
        return credentials.get();
    }

    @Override
    public void reportUsage(long used, long limit) {
        usage.set(new long[] {used, limit});
    }

    @Override
    public void reportPause(Duration pause) {
        pauses.add(pause);
    }

    /** How many times credentials were refreshed through the adapter. */
    public int refreshCount() {
        return refreshes.get();
    }

    /** Pauses the adapter reported, in order. */
    public List<Duration> reportedPauses() {
        return List.copyOf(pauses);
    }

    /** The last usage report as {@code [used, limit]}, if any. */
    public Optional<long[]> reportedUsage() {
        return Optional.ofNullable(usage.get()).map(long[]::clone);
    }

    /** Replaces the stored credentials (a test simulating a reconnect). */
    public void replaceCredentials(Credentials next) {
        credentials.set(Objects.requireNonNull(next, "next"));
    }

    @Override
    public void close() {
        httpClient.close();
    }

    private HttpReply refreshOnce(com.castiel.sync.http.HttpCall call, HttpInterceptor.Chain chain) {
        Credentials used = credentials.get();
        if (refresher != null && (used.accessToken() == null || used.expiresBefore(clock.instant()))) {
            refresh(used);
        }
        used = credentials.get();
        try {
            return chain.proceed(call);
        } catch (SyncException.AuthExpired expired) {
            if (refresher == null) {
                throw expired;
            }
            refresh(used);
            return chain.proceed(call); // a second AuthExpired propagates: refresh once, not in a loop
        }
    }

    private synchronized void refresh(Credentials stale) {
        if (credentials.get() != stale) {
            return; // another caller refreshed while this one waited
        }
        credentials.set(Objects.requireNonNull(refresher.apply(stale), "refreshCredentials returned null"));
        refreshes.incrementAndGet();
    }

    private HttpReply authorize(com.castiel.sync.http.HttpCall call, HttpInterceptor.Chain chain) {
        String token = credentials.get().accessToken();
        return chain.proceed(token == null ? call : call.withHeader("authorization", "Bearer " + token));
    }

    private static HttpInterceptor classifying(HttpErrorClassifier classifier) {
        return (call, chain) -> {
            HttpReply reply = chain.proceed(call);
            Optional<SyncException> failure = classifier.classify(call, reply);
            if (failure.isPresent()) {
                throw failure.get();
            }
            return reply;
        };
    }
}
