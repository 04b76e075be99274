package com.castiel.sync.azure.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.castiel.sync.azure.testing.FakeKeyVault;
import com.castiel.sync.azure.testing.LocalHttps;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.contract.CredentialStoreContract;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The contract, plus Key Vault specifics, with the real {@code SecretClient} against the
 * in-process {@link FakeKeyVault} over HTTPS.
 */
class KeyVaultCredentialStoreContractTest extends CredentialStoreContract {

    private FakeKeyVault vault;

    @Override
    protected CredentialStore createStore(MutableClock clock) {
        vault = new FakeKeyVault(clock);
        return new KeyVaultCredentialStore(client(vault));
    }

    @Override
    protected void cleanUp() {
        vault.close();
    }

    static SecretClient client(FakeKeyVault vault) {
        TokenCredential credential = request -> Mono.just(new AccessToken(FakeKeyVault.ACCEPTED_TOKEN, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
        return new SecretClientBuilder()
                .vaultUrl(vault.vaultUrl())
                .credential(credential)
                .httpClient(LocalHttps.azureHttpClient())
                .disableChallengeResourceVerification()
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .buildClient();
    }

    private String name() {
        return KeyVaultCredentialStore.secretName(TENANT, INTEGRATION);
    }

    @Test
    void eachPutIsANewVersionOfOneSecretWithAJsonContentType() {
        store.put(TENANT, INTEGRATION, first(START.plus(Duration.ofHours(1))));
        store.put(TENANT, INTEGRATION, second(START.plus(Duration.ofHours(2))));

        assertThat(vault.versionsOf(name())).hasSize(2).allSatisfy(v -> {
            assertThat(v.get("contentType").asText()).isEqualTo("application/json");
            assertThat(v.get("tags").get("tenantId").asText()).isEqualTo(TENANT.value());
            assertThat(v.get("tags").get("integrationId").asText()).isEqualTo(INTEGRATION.value());
        });
        assertThat(vault.versionsOf(name()).get(1).get("tags").get("expiresAt").asText()).isEqualTo(START.plus(Duration.ofHours(2)).toString());
    }

    @Test
    void theSecretNameIsValidForKeyVaultWhateverTheIds() {
        assertThat(name()).matches("[0-9a-zA-Z-]{1,127}").startsWith("sync-cred-");
    }

    @Test
    void aPutAfterADeleteRecoversTheSecretAndWritesANewVersion() {
        store.put(TENANT, INTEGRATION, first(null));
        store.delete(TENANT, INTEGRATION);
        assertThat(vault.isDeleted(name())).isTrue();

        Credentials again = second(null);
        store.put(TENANT, INTEGRATION, again);

        assertThat(store.get(TENANT, INTEGRATION)).contains(again);
        assertThat(vault.isDeleted(name())).isFalse();
        assertThat(vault.versionsOf(name())).hasSize(2);
    }

    @Test
    void theClientAnswersTheBearerChallengeBeforeTheFirstRequest() {
        store.put(TENANT, INTEGRATION, first(null));

        assertThat(vault.challenges()).isGreaterThanOrEqualTo(1);
        assertThat(vault.journal()).anySatisfy(line -> assertThat(line).startsWith("PUT /secrets/" + name()));
    }

    @Test
    void anUnavailableVaultIsARetryableFailureWithoutASecret() {
        store.put(TENANT, INTEGRATION, first(null));
        vault.failNext(503);

        assertThatThrownBy(() -> store.put(TENANT, INTEGRATION, second(null)))
                .isInstanceOfSatisfying(SyncException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.retryable()).isTrue();
                })
                .satisfies(CredentialStoreContract::assertNoSecretIn);
    }

    @Test
    void throttlingIsARateLimitWithTheVaultsRetryAfter() {
        vault.failNext(429);

        assertThatThrownBy(() -> store.get(TENANT, INTEGRATION))
                .isInstanceOfSatisfying(SyncException.RateLimited.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
    }

    @Test
    void expiringBeforeReadsEveryPageOfTheSecretList() {
        for (int i = 0; i < 5; i++) {
            store.put(TENANT, com.castiel.sync.model.IntegrationId.of("int-" + i), first(START.plus(Duration.ofMinutes(i))));
        }

        assertThat(store.expiringBefore(START.plus(Duration.ofHours(1)))).hasSize(5);
    }
}
