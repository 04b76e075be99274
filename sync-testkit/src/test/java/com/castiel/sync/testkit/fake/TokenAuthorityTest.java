package com.castiel.sync.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import com.castiel.sync.testkit.time.MutableClock;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TokenAuthorityTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final TokenAuthority tokens = new TokenAuthority(clock, Duration.ofMinutes(30)).registerClient("app", "s3cret");

    private static FakeRequest form(Map<String, String> params, String... headers) {
        String body = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        Map<String, List<String>> h = headers.length == 0 ? Map.of() : Map.of(headers[0], List.of(headers[1]));
        return new FakeRequest("POST", "/token", Map.of(), h, body.getBytes(StandardCharsets.UTF_8), Map.of(), Instant.EPOCH);
    }

    private TokenAuthority.GrantOutcome refresh(String refreshToken) {
        return tokens.grant(form(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "app", "client_secret", "s3cret")));
    }

    @Test
    void refreshGrantIssuesAnAccessTokenThatExpires() {
        String rt = tokens.issueRefreshToken("app");
        TokenAuthority.Granted g = (TokenAuthority.Granted) refresh(rt);
        assertThat(g.expiresIn()).isEqualTo(Duration.ofMinutes(30));
        assertThat(g.refreshToken()).isNull();
        assertThat(tokens.check(g.accessToken())).isEqualTo(TokenAuthority.AccessCheck.VALID);
        clock.advance(Duration.ofMinutes(30));
        assertThat(tokens.check(g.accessToken())).isEqualTo(TokenAuthority.AccessCheck.EXPIRED);
        assertThat(tokens.check("at-unknown")).isEqualTo(TokenAuthority.AccessCheck.UNKNOWN);
    }

    @Test
    void rotationReplacesTheRefreshTokenAndRetiresTheOldOne() {
        tokens.rotateRefreshTokens(true);
        String rt = tokens.issueRefreshToken("app");
        TokenAuthority.Granted g = (TokenAuthority.Granted) refresh(rt);
        assertThat(g.refreshToken()).isNotBlank().isNotEqualTo(rt);
        assertThat(refresh(rt)).isEqualTo(new TokenAuthority.Refused(400, "invalid_grant", "the refresh token was revoked or rotated"));
        assertThat(refresh(g.refreshToken())).isInstanceOf(TokenAuthority.Granted.class);
    }

    @Test
    void revokedRefreshTokensGetInvalidGrant() {
        String rt = tokens.issueRefreshToken("app");
        tokens.revokeAllRefreshTokens();
        assertThat(refresh(rt)).isInstanceOfSatisfying(TokenAuthority.Refused.class, r -> assertThat(r.error()).isEqualTo("invalid_grant"));
    }

    @Test
    void expireAllMakesEveryIssuedTokenExpired() {
        String at = tokens.issueAccessToken("app").accessToken();
        tokens.expireAllAccessTokens();
        assertThat(tokens.check(at)).isEqualTo(TokenAuthority.AccessCheck.EXPIRED);
    }

    @Test
    void wrongClientSecretIsInvalidClient() {
        TokenAuthority.GrantOutcome o = tokens.grant(form(Map.of("grant_type", "client_credentials", "client_id", "app", "client_secret", "nope")));
        assertThat(o).isInstanceOfSatisfying(TokenAuthority.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("invalid_client");
        });
    }

    @Test
    void clientCredentialsWithHttpBasicIsGranted() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("app:s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.grant(form(Map.of("grant_type", "client_credentials"), "Authorization", basic)))
                .isInstanceOf(TokenAuthority.Granted.class);
        assertThat(tokens.grantsIssued()).isEqualTo(1);
    }

    @Test
    void unsupportedGrantTypeIsRefused() {
        assertThat(tokens.grant(form(Map.of("grant_type", "password", "client_id", "app", "client_secret", "s3cret"))))
                .isInstanceOfSatisfying(TokenAuthority.Refused.class, r -> assertThat(r.error()).isEqualTo("unsupported_grant_type"));
    }

    @Test
    void handlerRendersTheRfc6749Response() {
        String rt = tokens.issueRefreshToken("app");
        FakeResponse r = tokens.handler().handle(form(Map.of("grant_type", "refresh_token", "refresh_token", rt, "client_id", "app", "client_secret", "s3cret")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).contains("\"token_type\":\"Bearer\"", "\"expires_in\":1800");
        assertThat(r.header("cache-control")).contains("no-store");
    }

    @Test
    void grantedToStringHidesTheTokens() {
        TokenAuthority.Granted g = tokens.issueAccessToken("app");
        assertThat(g.toString()).doesNotContain(g.accessToken());
    }
}
