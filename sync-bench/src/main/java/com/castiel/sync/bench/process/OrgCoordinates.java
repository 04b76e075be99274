package com.castiel.sync.bench.process;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Objects;

/**
 * How a child JVM reaches the fake Salesforce org running in another JVM: its URLs, org id and a
 * refresh token of its connected app. Travels between JVMs as one JSON argument; the token is a
 * fake org's and dies with it, but it is still never printed.
 */
public record OrgCoordinates(URI loginUrl, URI instanceUrl, String orgId, String refreshToken, String clientId, String clientSecret) {

    public OrgCoordinates {
        Objects.requireNonNull(loginUrl, "loginUrl");
        Objects.requireNonNull(instanceUrl, "instanceUrl");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
    }

    public String toJson() {
        ObjectNode o = SyncJson.object();
        o.put("loginUrl", loginUrl.toString());
        o.put("instanceUrl", instanceUrl.toString());
        o.put("orgId", orgId);
        o.put("refreshToken", refreshToken);
        o.put("clientId", clientId);
        o.put("clientSecret", clientSecret);
        return SyncJson.write(o);
    }

    public static OrgCoordinates fromJson(JsonNode o) {
        return new OrgCoordinates(URI.create(text(o, "loginUrl")), URI.create(text(o, "instanceUrl")), text(o, "orgId"),
                text(o, "refreshToken"), text(o, "clientId"), text(o, "clientSecret"));
    }

    public static OrgCoordinates fromJson(String json) {
        return fromJson(SyncJson.tree(json));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("org coordinates lack '" + field + "'");
        }
        return v.asText();
    }

    @Override
    public String toString() {
        return "OrgCoordinates[" + instanceUrl + ", org " + orgId + "]";
    }
}
