package com.castiel.sync.port;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where integration secrets live (Key Vault, the embedded encrypted vault). Values never leave
 * through logs or exceptions. Thread-safe; writes are durable when the method returns.
 * Arguments are never {@code null}. Backend failures surface as unchecked exceptions whose
 * messages name the integration, never a secret.
 */
public interface CredentialStore {

    /** The stored credentials, or empty when none are stored for the integration. */
    Optional<Credentials> get(TenantId tenant, IntegrationId integration);

    /**
     * Replaces the credentials atomically: a reader sees either the old or the new set, never an
     * access token from one with a refresh token from the other.
     */
    void put(TenantId tenant, IntegrationId integration, Credentials credentials);

    /** Removes the credentials; removing credentials that do not exist does nothing. */
    void delete(TenantId tenant, IntegrationId integration);

    /** Integrations whose access token expires at or before {@code before} (known expiry only). */
    List<CredentialRef> expiringBefore(Instant before);

    /**
     * A pointer to stored credentials, without the secrets.
     *
     * @param tenantId tenant
     * @param integrationId integration
     * @param expiresAt access-token expiry
     */
    record CredentialRef(TenantId tenantId, IntegrationId integrationId, Instant expiresAt) {
    }
}
