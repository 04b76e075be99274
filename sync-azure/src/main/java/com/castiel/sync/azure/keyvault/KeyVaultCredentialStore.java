package com.castiel.sync.azure.keyvault;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.util.polling.SyncPoller;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link CredentialStore} in Azure Key Vault: one secret per tenant and integration holding the
 * whole {@link Credentials} set as JSON (content type {@code application/json}), so a reader gets
 * either the old set or the new one, never a mix. Every {@link #put} (a token rotation) creates a
 * new version of the secret; older versions stay in the vault's history.
 *
 * <p><b>Names and tags.</b> Secret names allow only letters, digits and dashes, so the name is
 * {@code sync-cred-} plus the SHA-256 of the tenant and integration ids. Tags carry
 * {@code tenantId}, {@code integrationId}, {@code purpose} and the access token's
 * {@code expiresAt}, which {@link #expiringBefore} reads from the secret list without fetching
 * any value. A secret whose tags name another tenant or integration is never returned.
 *
 * <p><b>Soft delete.</b> {@link #delete} deletes the secret (vaults keep it recoverable); a later
 * {@link #put} of the same integration recovers it and writes the new set as a new version.
 *
 * <p><b>Errors.</b> Throttling and unavailability become retryable {@link SyncException}s;
 * messages name the integration and the status, never a value. Thread-safe.
 */
public final class KeyVaultCredentialStore implements CredentialStore {

    static final String NAME_PREFIX = "sync-cred-";
    static final String PURPOSE = "castiel-sync-credentials";
    static final String CONTENT_TYPE = "application/json";
    static final String TAG_TENANT = "tenantId";
    static final String TAG_INTEGRATION = "integrationId";
    static final String TAG_PURPOSE = "purpose";
    static final String TAG_EXPIRES_AT = "expiresAt";
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private final SecretClient client;

    public KeyVaultCredentialStore(SecretClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Optional<Credentials> get(TenantId tenant, IntegrationId integration) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        KeyVaultSecret secret;
        try {
            secret = client.getSecret(secretName(tenant, integration));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (HttpResponseException e) {
            throw translate("reading the credentials of integration " + integration, e);
        }
        if (!belongsTo(secret.getProperties(), tenant, integration)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SyncJson.read(secret.getValue(), Credentials.class));
        } catch (IllegalArgumentException e) {
            // the parser's message could quote the value: keep only the fact
            throw new IllegalStateException("the stored credentials of integration " + integration + " are not a valid credentials document");
        }
    }

    @Override
    public void put(TenantId tenant, IntegrationId integration, Credentials credentials) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(credentials, "credentials");
        String name = secretName(tenant, integration);
        KeyVaultSecret secret = new KeyVaultSecret(name, SyncJson.write(credentials));
        secret.setProperties(new SecretProperties().setContentType(CONTENT_TYPE).setTags(tags(tenant, integration, credentials)));
        try {
            client.setSecret(secret);
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 409) {
                recover(name, integration);
                try {
                    client.setSecret(secret);
                    return;
                } catch (HttpResponseException again) {
                    throw translate("storing the credentials of integration " + integration, again);
                }
            }
            throw translate("storing the credentials of integration " + integration, e);
        }
    }

    @Override
    public void delete(TenantId tenant, IntegrationId integration) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
        try {
            SyncPoller<DeletedSecret, Void> poller = client.beginDeleteSecret(secretName(tenant, integration));
            poller.waitForCompletion(RECOVERY_WAIT);
        } catch (ResourceNotFoundException e) {
            // nothing stored
        } catch (HttpResponseException e) {
            throw translate("deleting the credentials of integration " + integration, e);
        }
    }

    @Override
    public List<CredentialRef> expiringBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        List<CredentialRef> expiring = new ArrayList<>();
        try {
            for (SecretProperties p : client.listPropertiesOfSecrets()) {
                Map<String, String> tags = p.getTags();
                if (tags == null || !PURPOSE.equals(tags.get(TAG_PURPOSE)) || !Boolean.TRUE.equals(p.isEnabled())) {
                    continue;
                }
                Instant expiresAt = parseInstant(tags.get(TAG_EXPIRES_AT));
                if (expiresAt == null || expiresAt.isAfter(before)) {
                    continue;
                }
                TenantId tenant = TenantId.of(tags.get(TAG_TENANT));
                IntegrationId integration = IntegrationId.of(tags.get(TAG_INTEGRATION));
                if (secretName(tenant, integration).equals(p.getName())) {
                    expiring.add(new CredentialRef(tenant, integration, expiresAt));
                }
            }
        } catch (HttpResponseException e) {
            throw translate("listing credentials", e);
        }
        return expiring;
    }

    /** The secret name of an integration's credentials. */
    public static String secretName(TenantId tenant, IntegrationId integration) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((tenant.value() + "\n" + integration.value()).getBytes(StandardCharsets.UTF_8));
            return NAME_PREFIX + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private void recover(String name, IntegrationId integration) {
        try {
            client.beginRecoverDeletedSecret(name).waitForCompletion(RECOVERY_WAIT);
        } catch (HttpResponseException e) {
            throw translate("recovering the deleted credentials secret of integration " + integration, e);
        }
    }

    private static Map<String, String> tags(TenantId tenant, IntegrationId integration, Credentials credentials) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_PURPOSE, PURPOSE);
        tags.put(TAG_TENANT, tenant.value());
        tags.put(TAG_INTEGRATION, integration.value());
        if (credentials.expiresAt() != null) {
            tags.put(TAG_EXPIRES_AT, credentials.expiresAt().toString());
        }
        return tags;
    }

    private static boolean belongsTo(SecretProperties p, TenantId tenant, IntegrationId integration) {
        Map<String, String> tags = p.getTags();
        return tags != null && tenant.value().equals(tags.get(TAG_TENANT)) && integration.value().equals(tags.get(TAG_INTEGRATION));
    }

    private static Instant parseInstant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static RuntimeException translate(String operation, HttpResponseException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
        SyncException.Details details = SyncException.Details.of("keyvault", status, null);
        String message = "Key Vault failed " + operation + " with status " + status;
        return switch (status) {
            case 429 -> new SyncException.RateLimited(message, retryAfter(e), details);
            case 408 -> new SyncException.Transient(ErrorCode.TIMEOUT, message, retryAfter(e), details, null);
            case 500, 502, 503, 504 -> new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, retryAfter(e), details, null);
            case 401, 403 -> new SyncException.Configuration("Key Vault refused " + operation + " (status " + status
                    + "): grant the app's identity get, set, list, delete and recover on secrets", details);
            default -> new KeyVaultException(message, status);
        };
    }

    private static Duration retryAfter(HttpResponseException e) {
        String v = e.getResponse() == null ? null : e.getResponse().getHeaderValue("Retry-After");
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "KeyVaultCredentialStore[" + client.getVaultUrl() + "]";
    }
}
