/**
 * The standalone runtime's credential vault: AES-256-GCM ciphertexts in the embedded database
 * ({@link com.castiel.sync.standalone.vault.EncryptedCredentialStore}) under a key from
 * {@code SYNC_MASTER_KEY} or an owner-only key file
 * ({@link com.castiel.sync.standalone.vault.MasterKey}).
 */
package com.castiel.sync.standalone.vault;
