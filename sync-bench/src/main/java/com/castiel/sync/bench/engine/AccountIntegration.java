package com.castiel.sync.bench.engine;

import com.castiel.sync.bench.process.OrgCoordinates;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FieldDirection;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The integration every benchmark syncs: Salesforce Accounts of the fake org into
 * {@code company} shards, ten mapped fields (text, number, integer, a nested shard path), the
 * shape of a typical CRM sync.
 */
public final class AccountIntegration {

    public static final TenantId TENANT = TenantId.of("bench-tenant");
    public static final String ENTITY = "Account";
    public static final String SHARD_TYPE = "company";

    /** Name → name, …, BillingCity → address.city: ten fields, AccountNumber inbound only. */
    public static final EntityMapping MAPPING = EntityMapping.of(ENTITY, SHARD_TYPE, List.of(
            FieldMapping.of("Name", "name"),
            FieldMapping.of("AccountNumber", "accountNumber").withDirection(FieldDirection.IN),
            FieldMapping.of("Industry", "industry"),
            FieldMapping.of("AnnualRevenue", "annualRevenue", FieldType.NUMBER),
            FieldMapping.of("NumberOfEmployees", "employees", FieldType.INTEGER),
            FieldMapping.of("Website", "website"),
            FieldMapping.of("Phone", "phone"),
            FieldMapping.of("BillingCity", "address.city"),
            FieldMapping.of("BillingCountry", "address.country"),
            FieldMapping.of("OwnerId", "ownerId")));

    private AccountIntegration() {
    }

    /**
     * The integration document.
     *
     * @param writeBack write-back on (with {@code policy}) or off
     * @param filters pull filters (empty: every Account)
     * @param rateLimits request limits overriding Salesforce's defaults (25/s), {@code null} for the defaults
     */
    public static Integration of(IntegrationId id, OrgCoordinates org, boolean writeBack, ConflictResolution policy,
                                 List<PullFilter> filters, RateLimitSettings rateLimits, Instant now) {
        IntegrationData data = IntegrationData.of("salesforce", List.of(MAPPING))
                .withSettings(Map.of("loginUrl", org.loginUrl().toString(), "instanceUrl", org.instanceUrl().toString(),
                        "orgId", org.orgId()))
                .withPullFilters(filters)
                .withWriteBack(writeBack ? WriteBackSettings.enabledWithDefaults() : WriteBackSettings.disabled())
                .withConflictResolution(policy);
        if (rateLimits != null) {
            data = data.withRateLimits(rateLimits);
        }
        return new Integration(id, TENANT, "benchmark " + id.value(), data, 0, now, now);
    }

    /** The connected app's refresh-token credentials. */
    public static Credentials credentials(OrgCoordinates org) {
        return new Credentials(null, org.refreshToken(), null, null, null,
                Map.of("client_id", org.clientId(), "client_secret", org.clientSecret()));
    }
}
