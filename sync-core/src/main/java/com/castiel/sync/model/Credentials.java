package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets of one integration: current tokens plus the long-lived material needed to get new
 * ones. Stored only in a credential store; {@link #toString()} never shows a value.
 *
 * @param accessToken current access token, {@code null} before the first grant
 * @param refreshToken refresh token, {@code null} for grants without one
 * @param expiresAt when the access token expires; {@code null} when the provider does not say
 *     (Salesforce), in which case expiry is learnt from a 401
 * @param instanceUrl provider base URL returned with the token (Salesforce {@code instance_url})
 * @param issuedAt when the access token was issued
 * @param properties other secrets and grant inputs ({@code client_id}, {@code client_secret},
 *     {@code private_key}, {@code username}, {@code webhook_secret}…)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Credentials(
        String accessToken,
        String refreshToken,
        Instant expiresAt,
        String instanceUrl,
        Instant issuedAt,
        Map<String, String> properties) {

    public Credentials {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static Credentials ofProperties(Map<String, String> properties) {
        return new Credentials(null, null, null, null, null, properties);
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /** True when the token expires at or before {@code at}; unknown expiry is never "expiring". */
    public boolean expiresBefore(Instant at) {
        return expiresAt != null && !expiresAt.isAfter(at);
    }

    /**
     * The result of a token grant: new access token and expiry; the refresh token is replaced
     * only when the grant returned one (rotation), otherwise the old one is kept.
     */
    public Credentials withGrant(String newAccessToken, String newRefreshToken, Instant newExpiresAt, String newInstanceUrl, Instant now) {
        return new Credentials(newAccessToken,
                newRefreshToken != null && !newRefreshToken.isBlank() ? newRefreshToken : refreshToken,
                newExpiresAt,
                newInstanceUrl != null ? newInstanceUrl : instanceUrl,
                now,
                properties);
    }

    public Credentials withProperty(String name, String value) {
        Map<String, String> next = new HashMap<>(properties);
        next.put(name, value);
        return new Credentials(accessToken, refreshToken, expiresAt, instanceUrl, issuedAt, next);
    }

    @Override
    public String toString() {
        return "Credentials[accessToken=" + mask(accessToken) + ", refreshToken=" + mask(refreshToken)
                + ", expiresAt=" + expiresAt + ", instanceUrl=" + instanceUrl + ", properties=" + properties.keySet() + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "none" : "***";
    }
}
