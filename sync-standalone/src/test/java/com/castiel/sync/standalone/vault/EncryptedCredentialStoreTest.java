package com.castiel.sync.standalone.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import com.castiel.sync.standalone.store.StorageSettings;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.standalone.store.sqlite.RawSql;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedCredentialStoreTest {

    private static final MutableClock CLOCK = MutableClock.at("2025-01-15T10:00:00Z");
    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId ONE = IntegrationId.of("int-1");
    private static final IntegrationId TWO = IntegrationId.of("int-2");
    private static final Instant EXPIRY = Instant.parse("2025-01-15T12:00:00.123456789Z");
    private static final Credentials SECRET = new Credentials("at-S3CRET-token", "rt-S3CRET-token", EXPIRY,
            "https://acme.my.salesforce.com", Instant.parse("2025-01-15T10:00:00Z"), Map.of("client_secret", "cs-S3CRET-value"));

    @TempDir
    Path dir;

    @Test
    void noSecretIsStoredInClearAnywhereInTheDataDirectory() throws Exception {
        try (EmbeddedStorage storage = open(null)) {
            storage.credentials().put(TENANT, ONE, SECRET);
        }

        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.getFileName().toString()).doesNotContain("S3CRET").doesNotContain("acme.my.salesforce");
            }
        }
    }

    @Test
    void onlyTheExpiryIsInClearNextToTheCiphertext() throws Exception {
        try (EmbeddedStorage storage = open(null)) {
            storage.credentials().put(TENANT, ONE, SECRET);
        }

        List<Object[]> rows = RawSql.query(dir.resolve("sync.db"), "SELECT tenant, integration, expires_at, length(nonce) FROM credential");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsExactly("tenant-a", "int-1", EpochNanos.nanos(EXPIRY), 12);
    }

    @Test
    void everyWriteUsesAFreshNonce() throws Exception {
        try (EmbeddedStorage storage = open(null)) {
            storage.credentials().put(TENANT, ONE, SECRET);
            byte[] first = nonce(ONE);
            storage.credentials().put(TENANT, ONE, SECRET);
            byte[] second = nonce(ONE);

            assertThat(second).isNotEqualTo(first);
            assertThat(storage.credentials().get(TENANT, ONE)).contains(SECRET);
        }
    }

    @Test
    void aCiphertextCopiedToAnotherIntegrationDoesNotDecrypt() throws Exception {
        try (EmbeddedStorage storage = open(null)) {
            storage.credentials().put(TENANT, ONE, SECRET);
            storage.credentials().put(TENANT, TWO, Credentials.ofProperties(Map.of("client_id", "other")));
        }
        RawSql.execute(dir.resolve("sync.db"), "UPDATE credential SET nonce = (SELECT nonce FROM credential WHERE integration = 'int-1'),"
                + " ciphertext = (SELECT ciphertext FROM credential WHERE integration = 'int-1') WHERE integration = 'int-2'");

        try (EmbeddedStorage storage = open(null)) {
            assertThatThrownBy(() -> storage.credentials().get(TENANT, TWO))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("int-2")
                    .hasMessageContaining("do not decrypt")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("S3CRET"));
            assertThat(storage.credentials().get(TENANT, ONE)).contains(SECRET);
        }
    }

    @Test
    void anAlteredCiphertextDoesNotDecrypt() throws Exception {
        try (EmbeddedStorage storage = open(null)) {
            storage.credentials().put(TENANT, ONE, SECRET);
        }
        RawSql.execute(dir.resolve("sync.db"), "UPDATE credential SET ciphertext = zeroblob(length(ciphertext))");

        try (EmbeddedStorage storage = open(null)) {
            assertThatThrownBy(() -> storage.credentials().get(TENANT, ONE)).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void credentialsSurviveAReopenWithTheSameKey() {
        try (EmbeddedStorage storage = open(key(1))) {
            storage.credentials().put(TENANT, ONE, SECRET);
        }

        try (EmbeddedStorage storage = open(key(1))) {
            assertThat(storage.credentials().get(TENANT, ONE)).contains(SECRET);
            assertThat(storage.credentials().expiringBefore(EXPIRY)).singleElement()
                    .satisfies(r -> assertThat(r.expiresAt()).isEqualTo(EXPIRY));
        }
    }

    @Test
    void openingTheVaultWithAnotherKeyFailsAtOnceAndNamesTheFix() {
        try (EmbeddedStorage storage = open(key(1))) {
            storage.credentials().put(TENANT, ONE, SECRET);
        }

        assertThatThrownBy(() -> open(key(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another key")
                .hasMessageContaining("SYNC_MASTER_KEY")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key(1)).doesNotContain(key(2)));
    }

    @Test
    void toStringShowsWhereTheKeyComesFromAndNoSecret() {
        try (EmbeddedStorage storage = open(key(1))) {
            storage.credentials().put(TENANT, ONE, SECRET);

            assertThat(storage.credentials().toString()).contains("SYNC_MASTER_KEY").doesNotContain(key(1)).doesNotContain("S3CRET");
        }
    }

    private byte[] nonce(IntegrationId integration) throws Exception {
        return (byte[]) RawSql.query(dir.resolve("sync.db"), "SELECT nonce FROM credential WHERE integration = ?", integration.value()).get(0)[0];
    }

    private EmbeddedStorage open(String environmentKey) {
        return EmbeddedStorage.open(StorageSettings.of(dir, CLOCK)
                .withEnvironment(name -> MasterKey.ENVIRONMENT_VARIABLE.equals(name) ? environmentKey : null));
    }

    private static String key(int seed) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) seed);
        return Base64.getEncoder().encodeToString(b);
    }
}
