package com.castiel.sync.standalone.vault;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM sealing of vault entries: a fresh random 96-bit nonce for every seal and a 128-bit
 * tag. The associated data binds a ciphertext to where it is stored (tenant and integration), so a
 * row copied onto another integration's row fails to open instead of leaking that integration's
 * secrets to the wrong tenant. Thread-safe.
 */
final class CredentialCipher {

    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MasterKey key;

    CredentialCipher(MasterKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** A nonce and the ciphertext (with its tag) of {@code plaintext}. */
    record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    Sealed seal(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return new Sealed(nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The plaintext of a sealed entry.
     *
     * @throws VaultTamperedException when the tag does not verify: another key, altered bytes, or
     *     a ciphertext that belongs to another row
     */
    byte[] open(byte[] nonce, byte[] ciphertext, byte[] associatedData) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new VaultTamperedException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A sealed entry did not verify. Carries no detail: the caller names the entry. */
    static final class VaultTamperedException extends RuntimeException {
        VaultTamperedException() {
            super("authentication tag mismatch", null, false, false);
        }
    }
}
