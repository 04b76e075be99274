package com.castiel.sync.ratelimit;

import com.castiel.sync.model.Integration;
import java.util.Objects;

/**
 * What one set of buckets limits: a provider and the account its quota belongs to. Integrations
 * that name the same provider org ({@code settings.orgId}) share one key, since providers count
 * requests per org; otherwise each tenant has its own.
 *
 * @param provider provider id
 * @param scope {@code org:<orgId>} or {@code tenant:<tenantId>}
 */
public record RateLimitKey(String provider, String scope) {

    /** The setting that names the provider account whose quota an integration draws on. */
    public static final String ORG_SETTING = "orgId";

    public RateLimitKey {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(scope, "scope");
    }

    public static RateLimitKey of(Integration integration) {
        String org = integration.structuredData().settings().get(ORG_SETTING);
        String scope = org != null && !org.isBlank() ? "org:" + org : "tenant:" + integration.tenantId().value();
        return new RateLimitKey(integration.provider(), scope);
    }

    @Override
    public String toString() {
        return provider + "/" + scope;
    }
}
