package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.fake.JournalEntry;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.castiel.sync.testkit.fake.salesforce.FakeSalesforce;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceAuthTest {

    private static final FetchRequest ACCOUNTS = new FetchRequest("Account", List.of("Name"), List.of(), null, null, null, 200);
    private static final String TOKEN_PATH = "/services/oauth2/token";

    private final SalesforceHarness h = new SalesforceHarness();

    @AfterEach
    void stop() {
        h.close();
    }

    private List<JournalEntry> tokenRequests() {
        return h.fake.journal().matching(RequestMatcher.pathStartsWith(TOKEN_PATH));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pkcs8Pem(KeyPair keys) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    private Map<String, String> settings(String flow) {
        Map<String, String> s = new HashMap<>(h.settings());
        s.put("authFlow", flow);
        return s;
    }

    @Test
    void the_first_call_obtains_a_token_with_the_refresh_grant_and_keeps_the_instance_url_without_an_expiry() {
        h.fake.seedAccountsAndContacts(3, 1L);
        try (ProviderAdapter adapter = h.open()) {
            assertThat(adapter.fetch(ACCOUNTS).records()).hasSize(3);
        }

        Credentials stored = h.stored();
        assertThat(stored.accessToken()).isNotBlank();
        assertThat(stored.instanceUrl()).isEqualTo(h.fake.instanceUrl().toString());
        assertThat(stored.expiresAt()).isNull();
        assertThat(tokenRequests()).singleElement().satisfies(e -> assertThat(e.method()).isEqualTo("POST"));
        assertThat(h.fake.tokenGrants()).isEqualTo(1);
    }

    @Test
    void a_rotated_refresh_token_is_saved_and_used_for_the_next_refresh() {
        h.fake.rotateRefreshTokens(true);
        Credentials initial = h.refreshTokenCredentials();
        try (ProviderAdapter adapter = h.open(h.settings(), initial)) {
            adapter.fetch(ACCOUNTS);
            String rotated = h.stored().refreshToken();
            assertThat(rotated).isNotBlank().isNotEqualTo(initial.refreshToken());

            h.fake.expireAllTokens();
            adapter.fetch(ACCOUNTS);

            assertThat(h.stored().refreshToken()).isNotEqualTo(rotated);
        }
        assertThat(h.fake.tokenGrants()).isEqualTo(2);
    }

    @Test
    void an_expired_session_is_refreshed_once_and_the_call_replayed() {
        try (ProviderAdapter adapter = h.open()) {
            adapter.fetch(ACCOUNTS);
            h.fake.expireAllTokens();
            long before = h.fake.journal().totalCount();

            adapter.fetch(ACCOUNTS);

            List<JournalEntry> after = h.fake.journal().since(before);
            assertThat(after).extracting(e -> e.method() + " " + e.path() + " " + e.status()).containsExactly(
                    "GET /services/data/v62.0/query 401", "POST " + TOKEN_PATH + " 200", "GET /services/data/v62.0/query 200");
        }
    }

    @Test
    void a_session_not_valid_for_the_rest_api_is_a_configuration_error_and_never_refreshed() {
        try (ProviderAdapter adapter = h.open()) {
            adapter.fetch(ACCOUNTS);
            h.fake.rejectSessionsForRestApi(true);

            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS))
                    .isInstanceOf(SyncException.Configuration.class)
                    .hasMessageContaining("This session is not valid for use with the REST API");
        }
        assertThat(h.fake.tokenGrants()).isEqualTo(1);
    }

    @Test
    void a_revoked_refresh_token_fails_authentication_without_revealing_it() {
        Credentials creds = h.refreshTokenCredentials();
        h.fake.revokeRefreshTokens();

        try (ProviderAdapter adapter = h.open(h.settings(), creds)) {
            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS))
                    .isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                        assertThat(e.providerCode()).isEqualTo("invalid_grant");
                        assertThat(e.getMessage()).doesNotContain(creds.refreshToken()).doesNotContain(FakeSalesforce.CLIENT_SECRET);
                    });
        }
    }

    @Test
    void a_wrong_client_secret_is_reported_as_invalid_credentials() {
        Credentials creds = new Credentials(null, h.fake.issueRefreshToken(), null, null, null,
                Map.of("client_id", FakeSalesforce.CLIENT_ID, "client_secret", "wrong"));

        try (ProviderAdapter adapter = h.open(h.settings(), creds)) {
            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS)).isInstanceOfSatisfying(SyncException.AuthFailed.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS));
        }
    }

    @Test
    void the_jwt_bearer_flow_signs_an_assertion_the_org_accepts() {
        KeyPair keys = rsa();
        h.fake.registerJwtSigner(FakeSalesforce.CLIENT_ID, keys.getPublic(), "integration@example.com");
        h.fake.seedAccountsAndContacts(2, 1L);
        Credentials creds = Credentials.ofProperties(Map.of("client_id", FakeSalesforce.CLIENT_ID,
                "username", "integration@example.com", "private_key", pkcs8Pem(keys)));

        try (ProviderAdapter adapter = h.open(settings("jwt_bearer"), creds)) {
            assertThat(adapter.fetch(ACCOUNTS).records()).hasSize(2);
        }
        assertThat(h.stored().accessToken()).isNotBlank();
        assertThat(h.stored().refreshToken()).isNull();
        assertThat(h.fake.tokenGrants()).isEqualTo(1);
    }

    @Test
    void a_jwt_for_a_user_who_did_not_approve_the_app_is_refused() {
        KeyPair keys = rsa();
        h.fake.registerJwtSigner(FakeSalesforce.CLIENT_ID, keys.getPublic(), "integration@example.com");
        Credentials creds = Credentials.ofProperties(Map.of("client_id", FakeSalesforce.CLIENT_ID,
                "username", "someone.else@example.com", "private_key", pkcs8Pem(keys)));

        try (ProviderAdapter adapter = h.open(settings("jwt_bearer"), creds)) {
            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS)).isInstanceOf(SyncException.AuthFailed.class)
                    .hasMessageContaining("user hasn't approved this consumer");
        }
    }

    @Test
    void a_jwt_signed_with_another_key_is_refused() {
        h.fake.registerJwtSigner(FakeSalesforce.CLIENT_ID, rsa().getPublic(), "integration@example.com");
        Credentials creds = Credentials.ofProperties(Map.of("client_id", FakeSalesforce.CLIENT_ID,
                "username", "integration@example.com", "private_key", pkcs8Pem(rsa())));

        try (ProviderAdapter adapter = h.open(settings("jwt_bearer"), creds)) {
            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS)).isInstanceOf(SyncException.AuthFailed.class)
                    .hasMessageContaining("invalid assertion");
        }
    }

    @Test
    void a_pkcs1_private_key_is_refused_with_advice_and_without_the_key() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretsecretsecret\n-----END RSA PRIVATE KEY-----\n";
        Credentials creds = Credentials.ofProperties(Map.of("client_id", FakeSalesforce.CLIENT_ID,
                "username", "integration@example.com", "private_key", pkcs1));

        try (ProviderAdapter adapter = h.open(settings("jwt_bearer"), creds)) {
            assertThatThrownBy(() -> adapter.fetch(ACCOUNTS)).isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
                assertThat(e.getMessage()).contains("private_key").contains("pkcs8").doesNotContain("secretsecret");
            });
        }
        assertThat(tokenRequests()).isEmpty();
    }

    @Test
    void the_client_credentials_flow_authenticates_the_app_with_basic_auth() {
        h.fake.seedAccountsAndContacts(1, 1L);
        Credentials creds = Credentials.ofProperties(Map.of("client_id", FakeSalesforce.CLIENT_ID,
                "client_secret", FakeSalesforce.CLIENT_SECRET));

        try (ProviderAdapter adapter = h.open(settings("client_credentials"), creds)) {
            assertThat(adapter.fetch(ACCOUNTS).records()).hasSize(1);
        }
        assertThat(tokenRequests()).singleElement()
                .satisfies(e -> assertThat(e.header("authorization")).contains("Basic <redacted>"));
    }

    @Test
    void an_expiry_during_a_multi_page_sync_refreshes_once_and_loses_no_page() {
        h.fake.seedAccountsAndContacts(1000, 42L);
        List<ExternalRecord> read = new ArrayList<>();
        try (ProviderAdapter adapter = h.open()) {
            Page page = adapter.fetch(ACCOUNTS);
            read.addAll(page.records());
            int pages = 1;
            while (!page.done()) {
                if (pages == 2) {
                    h.fake.expireAllTokens();
                }
                page = adapter.fetch(ACCOUNTS.withCursor(page.nextCursor()));
                read.addAll(page.records());
                pages++;
            }
        }

        assertThat(read).extracting(ExternalRecord::id).doesNotHaveDuplicates().hasSize(1000);
        assertThat(h.fake.tokenGrants()).isEqualTo(2);
        List<JournalEntry> rejected = h.fake.journal().matching(r -> ((JournalEntry) r).status() == 401);
        assertThat(rejected).singleElement().satisfies(e -> assertThat(e.path()).endsWith("-400"));
        List<JournalEntry> replay = h.fake.journal().matching(RequestMatcher.pathMatches(".*-400"));
        assertThat(replay).extracting(JournalEntry::status).containsExactly(401, 200);
    }

    @Test
    void concurrent_scans_meeting_an_expired_rotating_session_share_one_refresh() throws Exception {
        h.fake.rotateRefreshTokens(true);
        h.fake.seedAccountsAndContacts(600, 9L);
        int scans = 4;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Integer> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProviderAdapter adapter = h.open(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            adapter.fetch(ACCOUNTS);
            List<Page> firstPages = new ArrayList<>();
            for (int i = 0; i < scans; i++) {
                firstPages.add(adapter.fetch(ACCOUNTS));
            }
            h.fake.expireAllTokens();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (Page first : firstPages) {
                running.add(pool.submit(() -> {
                    try {
                        go.await();
                        int n = first.records().size();
                        Page page = first;
                        while (!page.done()) {
                            page = adapter.fetch(ACCOUNTS.withCursor(page.nextCursor()));
                            n += page.records().size();
                        }
                        counts.add(n);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(failures).isEmpty();
        assertThat(counts).containsOnly(600).hasSize(scans);
        assertThat(h.fake.tokenGrants()).isEqualTo(2);
    }
}
