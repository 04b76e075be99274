package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Obtains access tokens from {@code {loginUrl}/services/oauth2/token} with the integration's
 * {@link AuthFlow}. Salesforce answers {@code access_token} and {@code instance_url} (and a new
 * {@code refresh_token} when the connected app rotates them) but no {@code expires_in}: the
 * result has no expiry, so the host refreshes only when the API rejects the token.
 *
 * <p>Secrets come from {@link Credentials#properties()}: {@code client_id} (every flow),
 * {@code client_secret} (refresh token, when the app requires it; client credentials),
 * {@code private_key} and {@code username} (JWT bearer). They travel only in the form body or
 * the Basic header, never in URLs or messages. Thread-safe; the host serialises refreshes.
 */
final class TokenGrant {

    private final SalesforceSettings settings;
    private final SyncHttpClient client;
    private final Clock clock;

    TokenGrant(AdapterContext context, SalesforceSettings settings) {
        this.settings = settings;
        this.client = context.tokenClient(new TokenErrorClassifier());
        this.clock = context.clock();
    }

    /**
     * Runs the grant.
     *
     * @return {@code current} with the new access token and instance URL, and the rotated
     *     refresh token when one was issued (otherwise the old one is kept)
     * @throws SyncException.AuthFailed when a credential property is missing or the grant is refused
     */
    Credentials refresh(Credentials current) {
        String clientId = property(current, "client_id");
        Map<String, String> form = new LinkedHashMap<>();
        HttpCall call;
        URI endpoint = URI.create(settings.loginUrl() + "/services/oauth2/token");
        switch (settings.authFlow()) {
            case REFRESH_TOKEN -> {
                if (current.refreshToken() == null || current.refreshToken().isBlank()) {
                    throw missing("refresh token");
                }
                form.put("grant_type", "refresh_token");
                form.put("refresh_token", current.refreshToken());
                form.put("client_id", clientId);
                current.property("client_secret").filter(s -> !s.isBlank()).ifPresent(s -> form.put("client_secret", s));
                form.put("format", "json");
                call = HttpCall.form(endpoint, encode(form));
            }
            case JWT_BEARER -> {
                String assertion = JwtAssertion.sign(clientId, property(current, "username"), settings.loginUrl().toString(),
                        clock.instant(), property(current, "private_key"));
                form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                form.put("assertion", assertion);
                call = HttpCall.form(endpoint, encode(form));
            }
            case CLIENT_CREDENTIALS -> {
                String secret = property(current, "client_secret");
                form.put("grant_type", "client_credentials");
                String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
                call = HttpCall.form(endpoint, encode(form)).withHeader("authorization", "Basic " + basic);
            }
            default -> throw new IllegalStateException("unknown flow " + settings.authFlow());
        }
        HttpReply reply = client.send(call.withHeader("accept", "application/json"));
        JsonNode body = SalesforceApi.json(reply, "the token request");
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isBlank()) {
            throw new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, "the Salesforce token answer has no access_token",
                    SyncException.Details.of(SalesforceSettings.PROVIDER, reply.status(), null));
        }
        String instanceUrl = SalesforceSettings.checkedInstanceUrl(body.path("instance_url").asText(null)).map(URI::toString)
                .orElse(null);
        String rotated = body.hasNonNull("refresh_token") ? body.get("refresh_token").asText() : null;
        return current.withGrant(accessToken, rotated, null, instanceUrl, clock.instant());
    }

    private static String property(Credentials c, String name) {
        return c.property(name).filter(v -> !v.isBlank()).orElseThrow(() -> missing("credential property '" + name + "'"));
    }

    private static SyncException.AuthFailed missing(String what) {
        return new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, "the Salesforce token grant needs the " + what
                + ", which the integration's credentials do not hold", SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
    }

    private static String encode(Map<String, String> form) {
        StringJoiner out = new StringJoiner("&");
        form.forEach((k, v) -> out.add(SalesforceApi.encode(k) + "=" + SalesforceApi.encode(v)));
        return out.toString();
    }
}
