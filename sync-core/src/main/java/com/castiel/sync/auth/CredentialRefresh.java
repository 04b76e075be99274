package com.castiel.sync.auth;

import com.castiel.sync.model.Credentials;

/**
 * Obtains new tokens with an adapter's grant: in the host, an adapter's
 * {@link com.castiel.sync.spi.ProviderAdapter#refreshCredentials}. Called by
 * {@link TokenLifecycle} only, at most once at a time per integration.
 */
@FunctionalInterface
public interface CredentialRefresh {

    /**
     * @param current the stored credentials, as last persisted
     * @return the credentials after the grant, normally {@code current.withGrant(...)}
     * @throws com.castiel.sync.spi.SyncException.AuthFailed when the grant is refused
     */
    Credentials refresh(Credentials current);
}
