package com.castiel.sync.testkit.fake;

import com.castiel.sync.model.Ids;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authorisation server of a fake provider: OAuth 2.0 (RFC 6749) clients, refresh tokens and
 * access tokens with an expiry on an injected clock.
 *
 * <p>Grants: {@code refresh_token} (§6), optionally rotating the refresh token on every use, and
 * {@code client_credentials} (§4.4). Clients authenticate with {@code client_id} and
 * {@code client_secret} in the form or with HTTP Basic. Refusals follow §5.2:
 * {@code invalid_client} (401), {@code invalid_grant} (400, unknown, revoked or rotated-away
 * refresh token), {@code unsupported_grant_type}, {@code invalid_request}.
 *
 * <p>Tests steer it: {@link #expireAllAccessTokens()} makes every issued access token expired
 * (the next API call answers 401), {@link #revokeAllRefreshTokens()} makes the next refresh fail
 * with {@code invalid_grant}. {@link #handler()} renders the standard JSON token response;
 * vendors with their own shape (Salesforce adds {@code instance_url}, {@code signature}) call
 * {@link #grant(FakeRequest)} and render the outcome themselves.
 *
 * <p>Thread-safe. Tokens are random and unguessable; they never appear in exception messages.
 */
public final class TokenAuthority {

    /** What the authority knows about an access token. */
    public enum AccessCheck { VALID, EXPIRED, UNKNOWN }

    /** The outcome of a token request. */
    public sealed interface GrantOutcome {
    }

    /**
     * Tokens were issued.
     *
     * @param accessToken the new access token
     * @param refreshToken a refresh token to use from now on (new or rotated), or {@code null}
     *     when the client keeps the one it has
     * @param expiresIn lifetime of the access token
     * @param issuedAt when it was issued
     * @param clientId the client it was issued to
     */
    public record Granted(String accessToken, String refreshToken, Duration expiresIn, Instant issuedAt, String clientId)
            implements GrantOutcome {
        @Override
        public String toString() {
            return "Granted[clientId=" + clientId + ", expiresIn=" + expiresIn + "]";
        }
    }

    /**
     * The request was refused.
     *
     * @param status HTTP status (400 or 401)
     * @param error RFC 6749 error code
     * @param description human-readable detail, free of secrets
     */
    public record Refused(int status, String error, String description) implements GrantOutcome {
    }

    private record AccessToken(String clientId, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration accessTokenLifetime;
    private final Map<String, String> clients = new HashMap<>();
    private final Map<String, String> refreshTokens = new HashMap<>();
    private final Set<String> retiredRefreshTokens = new HashSet<>();
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    private boolean rotateRefreshTokens;
    private int grantsIssued;
    private int grantsRefused;

    /**
     * @param clock the clock expiry is judged on
     * @param accessTokenLifetime {@code expires_in} of issued access tokens
     */
    public TokenAuthority(Clock clock, Duration accessTokenLifetime) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (accessTokenLifetime.isNegative() || accessTokenLifetime.isZero()) {
            throw new IllegalArgumentException("accessTokenLifetime must be positive");
        }
        this.accessTokenLifetime = accessTokenLifetime;
    }

    /** Registers (or re-registers) a client. */
    public synchronized TokenAuthority registerClient(String clientId, String clientSecret) {
        clients.put(Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(clientSecret, "clientSecret"));
        return this;
    }

    /** When on, every refresh grant returns a new refresh token and retires the one used. */
    public synchronized TokenAuthority rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
        return this;
    }

    /** Issues a refresh token, as the authorisation step of a real OAuth flow would. */
    public synchronized String issueRefreshToken(String clientId) {
        requireClient(clientId);
        String token = "rt-" + Ids.secureToken(24);
        refreshTokens.put(token, clientId);
        return token;
    }

    /** Issues an access token directly (seeding credentials without a token request). */
    public synchronized Granted issueAccessToken(String clientId) {
        requireClient(clientId);
        return newAccessToken(clientId, null);
    }

    /** Judges a bearer token. */
    public synchronized AccessCheck check(String accessToken) {
        AccessToken t = accessToken == null ? null : accessTokens.get(accessToken);
        if (t == null) {
            return AccessCheck.UNKNOWN;
        }
        return clock.instant().isBefore(t.expiresAt()) ? AccessCheck.VALID : AccessCheck.EXPIRED;
    }

    /** Makes every access token issued so far expired. */
    public synchronized void expireAllAccessTokens() {
        Instant now = clock.instant();
        accessTokens.replaceAll((k, t) -> new AccessToken(t.clientId(), now));
    }

    /** Revokes one refresh token; its next use fails with {@code invalid_grant}. */
    public synchronized void revokeRefreshToken(String refreshToken) {
        if (refreshTokens.remove(refreshToken) != null) {
            retiredRefreshTokens.add(refreshToken);
        }
    }

    /** Revokes every refresh token (the user disconnected the app). */
    public synchronized void revokeAllRefreshTokens() {
        retiredRefreshTokens.addAll(refreshTokens.keySet());
        refreshTokens.clear();
    }

    /** Successful grants so far. */
    public synchronized int grantsIssued() {
        return grantsIssued;
    }

    /** Refused token requests so far. */
    public synchronized int grantsRefused() {
        return grantsRefused;
    }

    /** Decides a token request (form-encoded body, optional HTTP Basic client authentication). */
    public synchronized GrantOutcome grant(FakeRequest request) {
        Map<String, String> form = request.formParams();
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        Optional<Map.Entry<String, String>> basic = request.basicCredentials();
        if (basic.isPresent()) {
            clientId = basic.get().getKey();
            clientSecret = basic.get().getValue();
        }
        GrantOutcome outcome = decide(form, clientId, clientSecret);
        if (outcome instanceof Granted) {
            grantsIssued++;
        } else {
            grantsRefused++;
        }
        return outcome;
    }

    /** A route answering token requests with the RFC 6749 JSON shapes. */
    public FakeHandler handler() {
        return request -> switch (grant(request)) {
            case Granted g -> {
                ObjectNode body = SyncJson.object()
                        .put("access_token", g.accessToken())
                        .put("token_type", "Bearer")
                        .put("expires_in", g.expiresIn().toSeconds());
                if (g.refreshToken() != null) {
                    body.put("refresh_token", g.refreshToken());
                }
                yield FakeResponse.json(200, body).withHeader("cache-control", "no-store");
            }
            case Refused r -> {
                FakeResponse response = FakeResponse.json(r.status(),
                        SyncJson.object().put("error", r.error()).put("error_description", r.description()));
                yield r.status() == 401 ? response.withHeader("www-authenticate", "Basic realm=\"token\"") : response;
            }
        };
    }

    private GrantOutcome decide(Map<String, String> form, String clientId, String clientSecret) {
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            return new Refused(400, "invalid_request", "grant_type is required");
        }
        if (clientId == null || clientSecret == null) {
            return new Refused(401, "invalid_client", "client authentication is required");
        }
        String known = clients.get(clientId);
        if (known == null || !MessageDigest.isEqual(known.getBytes(StandardCharsets.UTF_8), clientSecret.getBytes(StandardCharsets.UTF_8))) {
            return new Refused(401, "invalid_client", "unknown client or wrong client secret");
        }
        return switch (grantType) {
            case "client_credentials" -> newAccessToken(clientId, null);
            case "refresh_token" -> refresh(form.get("refresh_token"), clientId);
            default -> new Refused(400, "unsupported_grant_type", "grant_type '" + grantType + "' is not supported");
        };
    }

    private GrantOutcome refresh(String refreshToken, String clientId) {
        if (refreshToken == null || refreshToken.isBlank()) {
            return new Refused(400, "invalid_request", "refresh_token is required");
        }
        String owner = refreshTokens.get(refreshToken);
        if (owner == null) {
            String why = retiredRefreshTokens.contains(refreshToken) ? "the refresh token was revoked or rotated" : "unknown refresh token";
            return new Refused(400, "invalid_grant", why);
        }
        if (!owner.equals(clientId)) {
            return new Refused(400, "invalid_grant", "the refresh token was issued to another client");
        }
        String rotated = null;
        if (rotateRefreshTokens) {
            refreshTokens.remove(refreshToken);
            retiredRefreshTokens.add(refreshToken);
            rotated = "rt-" + Ids.secureToken(24);
            refreshTokens.put(rotated, clientId);
        }
        return newAccessToken(clientId, rotated);
    }

    private Granted newAccessToken(String clientId, String refreshToken) {
        Instant now = clock.instant();
        String token = "at-" + Ids.secureToken(24);
        accessTokens.put(token, new AccessToken(clientId, now.plus(accessTokenLifetime)));
        return new Granted(token, refreshToken, accessTokenLifetime, now, clientId);
    }

    private void requireClient(String clientId) {
        if (!clients.containsKey(clientId)) {
            throw new IllegalArgumentException("client '" + clientId + "' is not registered");
        }
    }
}
