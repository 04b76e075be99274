package com.castiel.sync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.CredentialStore.CredentialRef;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link CredentialStore} must have: put, get and delete per (tenant,
 * integration), isolation between tenants, replacement of the whole set in one step (never a
 * mix of old and new tokens), the refresher's expiry query, and no secret in
 * {@code toString()} or in any exception message.
 *
 * <p>Extend it, implement {@link #createStore(MutableClock)} to return an empty store, and
 * override {@link #cleanUp()} when it holds files or servers.
 */
public abstract class CredentialStoreContract {

    protected static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    protected static final TenantId TENANT = TenantId.of("tenant-a");
    protected static final TenantId OTHER_TENANT = TenantId.of("tenant-b");
    protected static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    protected static final IntegrationId OTHER_INTEGRATION = IntegrationId.of("int-2");

    /** Every secret value the fixtures use; none may ever appear in text the store produces. */
    protected static final List<String> SECRETS = List.of("at-S3CRET-value-1", "rt-S3CRET-value-1", "cs-S3CRET-value-1",
            "at-S3CRET-value-2", "rt-S3CRET-value-2");

    protected MutableClock clock;
    protected CredentialStore store;

    /** An empty store. */
    protected abstract CredentialStore createStore(MutableClock clock);

    /** Called after each test: close connections, delete files, stop servers. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    public final void createStoreUnderTest() {
        clock = new MutableClock(START);
        store = createStore(clock);
    }

    @AfterEach
    public final void cleanUpStore() throws Exception {
        cleanUp();
    }

    @Test
    public void putCredentialsAreReadBackWithEveryField() {
        Credentials credentials = first(START.plus(Duration.ofHours(1)));

        store.put(TENANT, INTEGRATION, credentials);

        assertThat(store.get(TENANT, INTEGRATION)).contains(credentials);
    }

    @Test
    public void getOfUnknownCredentialsIsEmpty() {
        assertThat(store.get(TENANT, INTEGRATION)).isEmpty();
    }

    @Test
    public void putReplacesTheWholeSetWithoutMergingProperties() {
        store.put(TENANT, INTEGRATION, first(START.plus(Duration.ofHours(1))));
        Credentials second = second(START.plus(Duration.ofHours(2)));

        store.put(TENANT, INTEGRATION, second);

        Credentials read = store.get(TENANT, INTEGRATION).orElseThrow();
        assertThat(read).isEqualTo(second);
        assertThat(read.properties()).doesNotContainKey("client_secret");
    }

    @Test
    public void deleteRemovesTheCredentials() {
        store.put(TENANT, INTEGRATION, first(null));

        store.delete(TENANT, INTEGRATION);

        assertThat(store.get(TENANT, INTEGRATION)).isEmpty();
    }

    @Test
    public void deletingUnknownCredentialsIsANoOp() {
        store.delete(TENANT, INTEGRATION);

        assertThat(store.get(TENANT, INTEGRATION)).isEmpty();
    }

    @Test
    public void credentialsAreKeptPerIntegration() {
        Credentials one = first(null);
        Credentials two = second(null);
        store.put(TENANT, INTEGRATION, one);
        store.put(TENANT, OTHER_INTEGRATION, two);

        store.delete(TENANT, OTHER_INTEGRATION);

        assertThat(store.get(TENANT, INTEGRATION)).contains(one);
        assertThat(store.get(TENANT, OTHER_INTEGRATION)).isEmpty();
    }

    @Test
    public void anotherTenantCannotReadTheCredentials() {
        store.put(TENANT, INTEGRATION, first(null));

        assertThat(store.get(OTHER_TENANT, INTEGRATION)).isEmpty();
    }

    @Test
    public void anotherTenantCannotDeleteTheCredentials() {
        store.put(TENANT, INTEGRATION, first(null));

        store.delete(OTHER_TENANT, INTEGRATION);

        assertThat(store.get(TENANT, INTEGRATION)).isPresent();
    }

    @Test
    public void expiringBeforeListsKnownExpiriesAtOrBeforeTheInstantAcrossTenants() {
        Instant cutoff = START.plus(Duration.ofHours(2));
        store.put(TENANT, IntegrationId.of("soon"), first(START.plus(Duration.ofHours(1))));
        store.put(OTHER_TENANT, IntegrationId.of("exactly"), first(cutoff));
        store.put(TENANT, IntegrationId.of("later"), first(cutoff.plusSeconds(1)));
        store.put(TENANT, IntegrationId.of("unknown-expiry"), first(null));

        List<CredentialRef> expiring = store.expiringBefore(cutoff);

        assertThat(expiring).containsExactlyInAnyOrder(
                new CredentialRef(TENANT, IntegrationId.of("soon"), START.plus(Duration.ofHours(1))),
                new CredentialRef(OTHER_TENANT, IntegrationId.of("exactly"), cutoff));
    }

    @Test
    public void expiringBeforeFollowsReplacementsAndDeletes() {
        store.put(TENANT, INTEGRATION, first(START.plus(Duration.ofMinutes(30))));
        store.put(TENANT, OTHER_INTEGRATION, first(START.plus(Duration.ofMinutes(30))));

        store.put(TENANT, INTEGRATION, second(START.plus(Duration.ofHours(5))));
        store.delete(TENANT, OTHER_INTEGRATION);

        assertThat(store.expiringBefore(START.plus(Duration.ofHours(2)))).isEmpty();
    }

    @Test
    public void readersNeverSeeTokensFromTwoDifferentSets() throws Exception {
        store.put(TENANT, INTEGRATION, first(null));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        store.put(TENANT, INTEGRATION, i % 2 == 0 ? second(null) : first(null));
                    }
                } finally {
                    writing.set(false);
                }
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int mixed = 0;
                    do {
                        Optional<Credentials> read = store.get(TENANT, INTEGRATION);
                        if (read.isEmpty() || !suffix(read.get().accessToken()).equals(suffix(read.get().refreshToken()))) {
                            mixed++;
                        }
                    } while (writing.get());
                    return mixed;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).as("reads that saw no set or a mixed set").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void toStringNeverShowsASecret() {
        store.put(TENANT, INTEGRATION, first(START));
        store.put(TENANT, OTHER_INTEGRATION, second(START));

        assertNoSecretIn(store.toString());
        assertNoSecretIn(String.valueOf(store.get(TENANT, INTEGRATION)));
        assertNoSecretIn(String.valueOf(store.expiringBefore(START)));
    }

    @Test
    public void rejectingAPutWithoutATenantShowsNoSecret() {
        assertThatThrownBy(() -> store.put(null, INTEGRATION, first(START)))
                .satisfies(CredentialStoreContract::assertNoSecretIn);
    }

    @Test
    public void rejectingAPutWithoutAnIntegrationShowsNoSecret() {
        assertThatThrownBy(() -> store.put(TENANT, null, first(START)))
                .satisfies(CredentialStoreContract::assertNoSecretIn);
    }

    // ---- fixtures ----

    /** A refresh-token grant with a client secret; secrets end in {@code -1}. */
    protected static Credentials first(Instant expiresAt) {
        return new Credentials("at-S3CRET-value-1", "rt-S3CRET-value-1", expiresAt, "https://acme.my.salesforce.com",
                START.minus(Duration.ofMinutes(5)), Map.of("client_id", "client-1", "client_secret", "cs-S3CRET-value-1"));
    }

    /** A rotated grant without a client secret; secrets end in {@code -2}. */
    protected static Credentials second(Instant expiresAt) {
        return new Credentials("at-S3CRET-value-2", "rt-S3CRET-value-2", expiresAt, "https://acme.my.salesforce.com",
                START, Map.of("client_id", "client-1"));
    }

    private static String suffix(String token) {
        return token == null ? "" : token.substring(token.length() - 2);
    }

    protected static void assertNoSecretIn(String text) {
        for (String secret : SECRETS) {
            assertThat(text).as("text produced by the store").doesNotContain(secret);
        }
    }

    /** Checks the message and the string form of the exception and of every cause. */
    protected static void assertNoSecretIn(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertNoSecretIn(String.valueOf(t.getMessage()));
            assertNoSecretIn(t.toString());
        }
    }
}
