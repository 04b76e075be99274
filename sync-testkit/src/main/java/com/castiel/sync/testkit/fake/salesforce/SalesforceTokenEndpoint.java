package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.fake.FakeRequest;
import com.castiel.sync.testkit.fake.FakeResponse;
import com.castiel.sync.testkit.fake.TokenAuthority;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /services/oauth2/token}: the refresh-token, client-credentials and JWT-bearer
 * grants, answered in Salesforce's shape.
 *
 * <p>Success: {@code access_token}, {@code signature} (Base64 HMAC-SHA256 of {@code id} +
 * {@code issued_at} keyed by the client secret), {@code scope}, {@code instance_url},
 * {@code id} (the identity URL {@code …/id/<orgId>/<userId>}), {@code token_type} and
 * {@code issued_at} (epoch milliseconds as a string) — and never {@code expires_in}: clients
 * learn expiry from a 401. A {@code refresh_token} is present only when rotation issued a new
 * one. Failures are 400 with {@code {"error","error_description"}}: {@code invalid_grant}
 * ("expired access/refresh token", "invalid assertion", "user hasn't approved this consumer"),
 * {@code invalid_client_id}, {@code invalid_client}, {@code unsupported_grant_type}.
 *
 * <p>JWT bearer: the assertion must be an RS256 JWT whose {@code iss} is a client registered
 * with {@link #registerJwtClient}, signed by that client's key, whose {@code aud} is the login
 * URL, {@code sub} the client's pre-approved user and {@code exp} in the future. Refresh tokens
 * and client credentials are judged by the shared {@link TokenAuthority}. Thread-safe.
 */
final class SalesforceTokenEndpoint {

    private record JwtClient(PublicKey key, String username) {
    }

    private final TokenAuthority authority;
    private final Clock clock;
    private final Supplier<URI> loginUrl;
    private final String identityPath;
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, JwtClient> jwtClients = new HashMap<>();
    private int jwtGrants;

    SalesforceTokenEndpoint(TokenAuthority authority, Clock clock, Supplier<URI> loginUrl, String orgId, String userId) {
        this.authority = authority;
        this.clock = clock;
        this.loginUrl = loginUrl;
        this.identityPath = "/id/" + orgId + "/" + userId;
    }

    synchronized void registerClient(String clientId, String clientSecret) {
        authority.registerClient(clientId, clientSecret);
        secrets.put(clientId, clientSecret);
    }

    synchronized void registerJwtClient(String clientId, PublicKey key, String username) {
        if (!secrets.containsKey(clientId)) {
            throw new IllegalArgumentException("register the connected app " + clientId + " first");
        }
        jwtClients.put(clientId, new JwtClient(Objects.requireNonNull(key, "key"), Objects.requireNonNull(username, "username")));
    }

    synchronized int jwtGrants() {
        return jwtGrants;
    }

    FakeResponse handle(FakeRequest request) {
        String grantType = request.formParams().get("grant_type");
        if ("urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grantType)) {
            return jwtBearer(request.formParams().get("assertion"));
        }
        return switch (authority.grant(request)) {
            case TokenAuthority.Granted g -> success(g, "refresh_token".equals(grantType) ? "api refresh_token" : "api");
            case TokenAuthority.Refused r -> switch (r.error()) {
                case "invalid_grant" -> failure("invalid_grant", "expired access/refresh token");
                case "invalid_client" -> failure("invalid_client", "invalid client credentials");
                case "unsupported_grant_type" -> failure("unsupported_grant_type", "grant type not supported");
                default -> failure(r.error(), r.description());
            };
        };
    }

    private FakeResponse jwtBearer(String assertion) {
        if (assertion == null || assertion.isBlank()) {
            return failure("invalid_request", "assertion is required");
        }
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            return failure("invalid_grant", "invalid assertion");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            header = SyncJson.mapper().readTree(d.decode(parts[0]));
            claims = SyncJson.mapper().readTree(d.decode(parts[1]));
            signature = d.decode(parts[2]);
        } catch (IllegalArgumentException | IOException e) {
            return failure("invalid_grant", "invalid assertion");
        }
        if (header == null || claims == null || !"RS256".equals(header.path("alg").asText())) {
            return failure("invalid_grant", "invalid assertion");
        }
        String clientId = claims.path("iss").asText(null);
        JwtClient client;
        synchronized (this) {
            client = clientId == null ? null : jwtClients.get(clientId);
        }
        if (client == null) {
            return failure("invalid_client_id", "client identifier invalid");
        }
        if (!verifies(client.key(), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            return failure("invalid_grant", "invalid assertion");
        }
        String aud = claims.path("aud").asText("");
        String login = loginUrl.get().toString();
        if (!aud.equals(login) && !aud.equals(login + "/")) {
            return failure("invalid_grant", "invalid assertion");
        }
        if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= clock.instant().getEpochSecond()) {
            return failure("invalid_grant", "invalid assertion");
        }
        if (!client.username().equals(claims.path("sub").asText())) {
            return failure("invalid_grant", "user hasn't approved this consumer");
        }
        TokenAuthority.Granted granted = authority.issueAccessToken(clientId);
        synchronized (this) {
            jwtGrants++;
        }
        return success(new TokenAuthority.Granted(granted.accessToken(), null, granted.expiresIn(), granted.issuedAt(), clientId), "api");
    }

    private FakeResponse success(TokenAuthority.Granted g, String scope) {
        String id = loginUrl.get() + identityPath;
        String issuedAt = Long.toString(g.issuedAt().toEpochMilli());
        String secret;
        synchronized (this) {
            secret = secrets.getOrDefault(g.clientId(), "");
        }
        ObjectNode body = SyncJson.object();
        body.put("access_token", g.accessToken());
        if (g.refreshToken() != null) {
            body.put("refresh_token", g.refreshToken());
        }
        body.put("signature", hmac(secret, id + issuedAt));
        body.put("scope", scope);
        body.put("instance_url", loginUrl.get().toString());
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        return FakeResponse.json(200, body).withHeader("cache-control", "no-cache,must-revalidate,max-age=0,no-store,private");
    }

    private static FakeResponse failure(String error, String description) {
        return FakeResponse.json(400, SyncJson.object().put("error", error).put("error_description", description));
    }

    private static boolean verifies(PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(signed);
            return s.verify(signature);
        } catch (InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.isEmpty() ? new byte[1] : key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
