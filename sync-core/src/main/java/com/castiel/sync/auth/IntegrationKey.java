package com.castiel.sync.auth;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import java.util.Objects;

/** An integration within its tenant: the key of per-integration token state. */
record IntegrationKey(TenantId tenant, IntegrationId integration) {

    IntegrationKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(integration, "integration");
    }
}
