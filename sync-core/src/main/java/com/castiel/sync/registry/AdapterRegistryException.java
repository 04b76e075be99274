package com.castiel.sync.registry;

/** Adapter discovery or registration failed; the message names the provider classes involved. */
public class AdapterRegistryException extends RuntimeException {

    public AdapterRegistryException(String message) {
        super(message);
    }

    public AdapterRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
