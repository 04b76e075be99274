package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The RS256-signed JWT of the OAuth 2.0 JWT bearer flow: header {@code {"alg":"RS256"}}, claims
 * {@code iss} (consumer key), {@code sub} (username), {@code aud} (login URL) and {@code exp}
 * (three minutes ahead: Salesforce accepts assertions for a short time only). The key is an
 * unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). Key material never appears in
 * exceptions. Stateless.
 */
final class JwtAssertion {

    static final Duration LIFETIME = Duration.ofMinutes(3);

    private JwtAssertion() {
    }

    /**
     * Builds and signs an assertion.
     *
     * @throws SyncException.AuthFailed ({@code INVALID_CREDENTIALS}) when the key is not an
     *     unencrypted PKCS#8 RSA key
     */
    static String sign(String clientId, String username, String audience, Instant now, String privateKeyPem) {
        PrivateKey key = privateKey(privateKeyPem);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ObjectNode header = SyncJson.object().put("alg", "RS256");
        ObjectNode claims = SyncJson.object()
                .put("iss", clientId)
                .put("sub", username)
                .put("aud", audience)
                .put("exp", now.plus(LIFETIME).getEpochSecond());
        String signed = b64.encodeToString(SyncJson.writeBytes(header)) + "." + b64.encodeToString(SyncJson.writeBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw invalidKey("it cannot sign with SHA256withRSA (" + e.getClass().getSimpleName() + ")");
        }
    }

    static PrivateKey privateKey(String pem) {
        if (pem == null || pem.isBlank()) {
            throw invalidKey("it is missing");
        }
        if (pem.contains("ENCRYPTED PRIVATE KEY")) {
            throw invalidKey("it is encrypted; store it unencrypted (openssl pkcs8 -topk8 -nocrypt)");
        }
        if (pem.contains("RSA PRIVATE KEY")) {
            throw invalidKey("it is PKCS#1 ('BEGIN RSA PRIVATE KEY'); convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw invalidKey("it is not a PEM 'PRIVATE KEY' block");
        }
        String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw invalidKey("it is not a readable RSA key (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static SyncException.AuthFailed invalidKey(String why) {
        return new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, "credential property 'private_key' cannot be used: " + why,
                SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
    }
}
