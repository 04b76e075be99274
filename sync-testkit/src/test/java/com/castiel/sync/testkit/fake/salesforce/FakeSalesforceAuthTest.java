package com.castiel.sync.testkit.fake.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeSalesforceAuthTest {

    private final MutableClock clock = MutableClock.at("2026-03-02T09:00:00Z");
    private final FakeSalesforce sf = new FakeSalesforce(clock).start();
    private final SalesforceClient client = new SalesforceClient(sf);

    @AfterEach
    void stop() {
        client.close();
        sf.close();
    }

    private SalesforceClient.Reply refresh(String refreshToken) {
        return client.form("grant_type=refresh_token&refresh_token=" + SalesforceClient.enc(refreshToken) + "&client_id="
                + FakeSalesforce.CLIENT_ID + "&client_secret=" + FakeSalesforce.CLIENT_SECRET);
    }

    @Test
    void a_refresh_answers_salesforces_token_shape_without_an_expiry() throws Exception {
        JsonNode token = refresh(sf.issueRefreshToken()).json();

        assertThat(token.has("expires_in")).isFalse();
        assertThat(token.has("refresh_token")).as("no rotation by default").isFalse();
        assertThat(token.get("instance_url").asText()).isEqualTo(sf.instanceUrl().toString());
        assertThat(token.get("id").asText()).isEqualTo(sf.loginUrl() + "/id/" + sf.orgId() + "/" + sf.userId());
        assertThat(token.get("issued_at").asText()).isEqualTo(Long.toString(clock.instant().toEpochMilli()));
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(FakeSalesforce.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal((token.get("id").asText() + token.get("issued_at").asText())
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(token.get("signature").asText()).isEqualTo(expected);
    }

    @Test
    void rotation_issues_a_new_refresh_token_and_retires_the_old_one() {
        sf.rotateRefreshTokens(true);
        String original = sf.issueRefreshToken();

        JsonNode token = refresh(original).json();
        SalesforceClient.Reply reuse = refresh(original);

        assertThat(token.get("refresh_token").asText()).isNotBlank().isNotEqualTo(original);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(reuse.json().get("error_description").asText()).isEqualTo("expired access/refresh token");
        assertThat(refresh(token.get("refresh_token").asText()).status()).isEqualTo(200);
    }

    @Test
    void client_credentials_work_with_basic_authentication_and_wrong_secrets_are_refused() {
        String basic = Base64.getEncoder().encodeToString((FakeSalesforce.CLIENT_ID + ":" + FakeSalesforce.CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        String wrong = Base64.getEncoder().encodeToString((FakeSalesforce.CLIENT_ID + ":nope").getBytes(StandardCharsets.UTF_8));

        assertThat(client.form("grant_type=client_credentials", "Authorization", "Basic " + basic).status()).isEqualTo(200);
        SalesforceClient.Reply refused = client.form("grant_type=client_credentials", "Authorization", "Basic " + wrong);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(sf.tokenGrants()).isEqualTo(1);
    }

    @Test
    void a_jwt_bearer_assertion_is_checked_for_signature_audience_subject_and_expiry() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        sf.registerJwtSigner(FakeSalesforce.CLIENT_ID, keys.getPublic(), "api@example.com");
        long exp = clock.instant().getEpochSecond() + 180;

        assertThat(jwt(keys, FakeSalesforce.CLIENT_ID, "api@example.com", sf.loginUrl().toString(), exp).status()).isEqualTo(200);
        assertThat(jwt(keys, FakeSalesforce.CLIENT_ID, "other@example.com", sf.loginUrl().toString(), exp).json()
                .get("error_description").asText()).isEqualTo("user hasn't approved this consumer");
        assertThat(jwt(keys, FakeSalesforce.CLIENT_ID, "api@example.com", "https://login.salesforce.com", exp).json()
                .get("error_description").asText()).isEqualTo("invalid assertion");
        assertThat(jwt(keys, FakeSalesforce.CLIENT_ID, "api@example.com", sf.loginUrl().toString(), exp - 360).json()
                .get("error").asText()).isEqualTo("invalid_grant");
        assertThat(jwt(keys, "unknown-client", "api@example.com", sf.loginUrl().toString(), exp).json().get("error").asText())
                .isEqualTo("invalid_client_id");
        assertThat(sf.tokenGrants()).isEqualTo(1);
    }

    private SalesforceClient.Reply jwt(KeyPair keys, String iss, String sub, String aud, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"aud\":\"" + aud + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String assertion = header + "." + claims + "." + b64.encodeToString(s.sign());
        return client.form("grant_type=" + SalesforceClient.enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + assertion);
    }
}
