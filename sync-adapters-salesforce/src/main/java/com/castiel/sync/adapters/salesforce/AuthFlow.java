package com.castiel.sync.adapters.salesforce;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the adapter obtains access tokens from {@code {loginUrl}/services/oauth2/token}. */
enum AuthFlow {
    /**
     * {@code grant_type=refresh_token} with the stored refresh token, {@code client_id} and (when
     * stored) {@code client_secret}; a rotated refresh token in the answer replaces the old one.
     */
    REFRESH_TOKEN("refresh_token"),
    /**
     * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} with an RS256 assertion
     * signed by {@code private_key}: {@code iss} = {@code client_id}, {@code sub} =
     * {@code username}, {@code aud} = the login URL, {@code exp} three minutes ahead.
     */
    JWT_BEARER("jwt_bearer"),
    /**
     * {@code grant_type=client_credentials} with {@code client_id}/{@code client_secret} as HTTP
     * Basic; the token acts as the connected app's "Run As" user. Needs a My Domain login URL.
     */
    CLIENT_CREDENTIALS("client_credentials");

    private final String setting;

    AuthFlow(String setting) {
        this.setting = setting;
    }

    String setting() {
        return setting;
    }

    static Optional<AuthFlow> fromSetting(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.setting.equals(v)).findFirst();
    }

    static String accepted() {
        return Arrays.stream(values()).map(AuthFlow::setting).collect(Collectors.joining(", "));
    }
}
