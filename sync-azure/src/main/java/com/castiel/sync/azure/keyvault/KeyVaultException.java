package com.castiel.sync.azure.keyvault;

/**
 * Key Vault answered with a status the credential store does not expect. Carries the status; the
 * message names the operation and integration, never a secret.
 */
public class KeyVaultException extends RuntimeException {

    private final int statusCode;

    public KeyVaultException(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }
}
