package com.castiel.sync.standalone.vault;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.standalone.store.sqlite.Durability;
import com.castiel.sync.standalone.store.sqlite.EpochNanos;
import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.castiel.sync.standalone.vault.CredentialCipher.Sealed;
import com.castiel.sync.standalone.vault.CredentialCipher.VaultTamperedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The standalone runtime's {@link CredentialStore}: an encrypted vault in the embedded SQLite
 * database.
 *
 * <p>Each integration's credentials are one row holding the AES-256-GCM ciphertext of their JSON
 * document, a random 96-bit nonce (new on every write), and the tenant and integration ids, which
 * are also the cipher's associated data: a ciphertext moved to another row does not decrypt. The
 * key is a {@link MasterKey}. <b>Only the access-token expiry is stored in clear</b>, next to the
 * ciphertext, because {@link #expiringBefore} must find expiring tokens without decrypting every
 * row; everything else (tokens, client secrets, private keys, instance URL, issue time, other
 * properties) is inside the ciphertext.
 *
 * <p>On first use the vault stores a key check (a known value sealed with the key) and verifies it
 * whenever it is opened again, so starting with the wrong key fails at once with a clear message
 * instead of at the first token refresh.
 *
 * <p>{@link #put} replaces the whole row in one transaction, so a reader sees the old or the new
 * set, never a mix; writes are {@link Durability#POWER_LOSS}, because a rotated refresh token that
 * is lost may be impossible to get again without the user. Plaintext buffers are wiped after use
 * (best effort: the JVM may hold other copies). No secret appears in a log, an exception message
 * or {@link #toString()}. Thread-safe.
 */
public final class EncryptedCredentialStore implements CredentialStore {

    private static final String KEY_CHECK = "vault.key_check";
    private static final byte[] KEY_CHECK_PLAINTEXT = "castiel-sync vault key check".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY_CHECK_AAD = "castiel-sync/vault-key-check/v1".getBytes(StandardCharsets.UTF_8);
    private static final String AAD_PREFIX = "castiel-sync/credentials/v1";

    private final SqliteDatabase db;
    private final MasterKey key;
    private final CredentialCipher cipher;

    /**
     * Opens the vault in {@code db} with {@code key}.
     *
     * @throws IllegalStateException when the vault was created with another key
     */
    public EncryptedCredentialStore(SqliteDatabase db, MasterKey key) {
        this.db = Objects.requireNonNull(db, "db");
        this.key = Objects.requireNonNull(key, "key");
        this.cipher = new CredentialCipher(key);
        verifyOrStoreKeyCheck();
    }

    private void verifyOrStoreKeyCheck() {
        String stored = db.write(Durability.POWER_LOSS, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                p.setString(1, KEY_CHECK);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            Sealed sealed = cipher.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD);
            byte[] both = new byte[sealed.nonce().length + sealed.ciphertext().length];
            System.arraycopy(sealed.nonce(), 0, both, 0, sealed.nonce().length);
            System.arraycopy(sealed.ciphertext(), 0, both, sealed.nonce().length, sealed.ciphertext().length);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                p.setString(1, KEY_CHECK);
                p.setString(2, java.util.Base64.getEncoder().encodeToString(both));
                p.executeUpdate();
            }
            return null;
        });
        if (stored == null) {
            return;
        }
        byte[] both = java.util.Base64.getDecoder().decode(stored);
        try {
            byte[] plain = cipher.open(Arrays.copyOf(both, CredentialCipher.NONCE_BYTES),
                    Arrays.copyOfRange(both, CredentialCipher.NONCE_BYTES, both.length), KEY_CHECK_AAD);
            if (!Arrays.equals(plain, KEY_CHECK_PLAINTEXT)) {
                throw new VaultTamperedException();
            }
        } catch (VaultTamperedException e) {
            throw new IllegalStateException("the credential vault in " + db.file() + " was created with another key than the one from "
                    + key.source() + "; start with the original key (restore " + MasterKey.KEY_FILE + " or set "
                    + MasterKey.ENVIRONMENT_VARIABLE + " to it), otherwise stored credentials cannot be read");
        }
    }

    @Override
    public Optional<Credentials> get(TenantId tenant, IntegrationId integration) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Optional<Sealed> sealed = db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT nonce, ciphertext FROM credential WHERE tenant = ? AND integration = ?")) {
                p.setString(1, tenant.value());
                p.setString(2, integration.value());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new Sealed(rs.getBytes(1), rs.getBytes(2))) : Optional.<Sealed>empty();
                }
            }
        });
        return sealed.map(s -> decrypt(tenant, integration, s));
    }

    private Credentials decrypt(TenantId tenant, IntegrationId integration, Sealed s) {
        byte[] plain;
        try {
            plain = cipher.open(s.nonce(), s.ciphertext(), associatedData(tenant, integration));
        } catch (VaultTamperedException e) {
            throw new StorageException("the stored credentials of integration " + integration + " (tenant " + tenant
                    + ") do not decrypt: they were altered or moved from another row");
        }
        try {
            return SyncJson.mapper().readValue(plain, Credentials.class);
        } catch (IOException e) {
            // Jackson's message may quote the document, which is secret: say only what failed.
            throw new StorageException("the stored credentials of integration " + integration + " (tenant " + tenant
                    + ") decrypt but are not a valid credentials document");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public void put(TenantId tenant, IntegrationId integration, Credentials credentials) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        if (credentials == null) {
            throw new NullPointerException("credentials must not be null (integration " + integration + ")");
        }
        byte[] plain;
        try {
            plain = SyncJson.mapper().writeValueAsBytes(credentials);
        } catch (IOException e) {
            throw new IllegalArgumentException("the credentials of integration " + integration + " cannot be serialised");
        }
        Sealed sealed;
        try {
            sealed = cipher.seal(plain, associatedData(tenant, integration));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        db.write(Durability.POWER_LOSS, c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO credential (tenant, integration, expires_at, nonce, ciphertext) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (tenant, integration) DO UPDATE SET expires_at = excluded.expires_at, nonce = excluded.nonce,
                      ciphertext = excluded.ciphertext""")) {
                p.setString(1, tenant.value());
                p.setString(2, integration.value());
                p.setObject(3, EpochNanos.of(credentials.expiresAt()));
                p.setBytes(4, sealed.nonce());
                p.setBytes(5, sealed.ciphertext());
                return p.executeUpdate();
            }
        });
    }

    @Override
    public void delete(TenantId tenant, IntegrationId integration) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        db.write(Durability.POWER_LOSS, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM credential WHERE tenant = ? AND integration = ?")) {
                p.setString(1, tenant.value());
                p.setString(2, integration.value());
                return p.executeUpdate();
            }
        });
    }

    /** Known expiries at or before {@code before}, soonest first; read from the clear expiry column. */
    @Override
    public List<CredentialRef> expiringBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT tenant, integration, expires_at FROM credential"
                    + " WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, integration")) {
                p.setLong(1, EpochNanos.nanos(before));
                List<CredentialRef> refs = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        refs.add(new CredentialRef(TenantId.of(rs.getString(1)), IntegrationId.of(rs.getString(2)),
                                EpochNanos.toInstant(rs.getLong(3))));
                    }
                }
                return List.copyOf(refs);
            }
        });
    }

    /** Binds a ciphertext to its row. Ids cannot contain control characters, so NUL separates them unambiguously. */
    private static byte[] associatedData(TenantId tenant, IntegrationId integration) {
        return (AAD_PREFIX + '\0' + tenant.value() + '\0' + integration.value()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EncryptedCredentialStore[" + db.file() + ", key from " + key.source() + "]";
    }
}
