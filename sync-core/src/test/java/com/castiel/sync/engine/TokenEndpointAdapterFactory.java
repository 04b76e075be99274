package com.castiel.sync.engine;

import com.castiel.sync.hostfixtures.StatusClassifier;
import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.http.SyncHttpClient;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A minimal OAuth adapter written against the SPI the way provider adapters are: API calls
 * through {@code apiClient}, a refresh-token grant through {@code tokenClient}. Its fetch reads
 * one endpoint; the records themselves do not matter to the host tests.
 */
final class TokenEndpointAdapterFactory implements ProviderAdapterFactory {

    static final String TOKEN_PATH = "/oauth/token";
    static final String RECORDS_PATH = "/v1/records";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String id;
    private final boolean refreshes;
    volatile ProviderSettings lastSettings;

    TokenEndpointAdapterFactory(String id, boolean refreshes) {
        this.id = id;
        this.refreshes = refreshes;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return "test";
    }

    @Override
    public Set<Capability> capabilities() {
        return refreshes ? EnumSet.of(Capability.READ, Capability.TOKEN_REFRESH) : EnumSet.of(Capability.READ);
    }

    @Override
    public ProviderAdapter create(AdapterContext context, ProviderSettings settings) {
        lastSettings = settings;
        URI base = URI.create(settings.required("baseUrl"));
        SyncHttpClient api = context.apiClient(new StatusClassifier(id));
        SyncHttpClient tokens = context.tokenClient(new StatusClassifier(id));
        Set<Capability> capabilities = capabilities();
        return new ProviderAdapter() {
            @Override
            public Set<Capability> capabilities() {
                return capabilities;
            }

            @Override
            public Page fetch(FetchRequest request) {
                api.send(HttpCall.get(base.resolve(RECORDS_PATH + "?entity=" + request.entity())));
                return Page.last(List.of());
            }

            @Override
            public Credentials refreshCredentials(Credentials current) {
                if (!refreshes) {
                    return ProviderAdapter.super.refreshCredentials(current);
                }
                String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(current.refreshToken(), StandardCharsets.UTF_8)
                        + "&client_id=" + URLEncoder.encode(current.property("client_id").orElse(""), StandardCharsets.UTF_8);
                HttpReply reply = tokens.send(HttpCall.form(base.resolve(TOKEN_PATH), form));
                try {
                    JsonNode body = JSON.readTree(reply.body());
                    String refresh = body.hasNonNull("refresh_token") ? body.get("refresh_token").asText() : null;
                    return current.withGrant(body.get("access_token").asText(), refresh,
                            context.clock().instant().plusSeconds(body.get("expires_in").asLong()), null, context.clock().instant());
                } catch (IOException e) {
                    throw new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE,
                            "unreadable token response", null, SyncException.Details.of(id, reply.status(), null), e);
                }
            }
        };
    }
}
