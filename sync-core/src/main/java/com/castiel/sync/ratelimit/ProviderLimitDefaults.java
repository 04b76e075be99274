package com.castiel.sync.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Default request limits per provider id, used when an integration sets no override
 * ({@code structuredData.rateLimits}). Sources:
 *
 * <ul>
 *   <li>{@code salesforce}: 25/s and 100,000/day (the seed; the daily figure is the org's
 *       allocation, tracked live from {@code Sforce-Limit-Info}).
 *   <li>{@code dynamics}: 60/s and 6,000/min (the seed), plus Dataverse's documented service
 *       protection limit of 6,000 requests per 300 s per user, which is the one that binds.
 *   <li>{@code teams}: 30/s (the seed; Graph's "other Teams calls" limit per app per tenant).
 *   <li>{@code onedrive}: 625/min and 600,000/day: SharePoint's lowest-tier app budget per tenant
 *       (1,250 resource units a minute, 1,200,000 a day) at 2 units per request (listings,
 *       writes; a delta page with a token costs 1).
 *   <li>{@code google-drive}: 325,000/min per user (Drive's quota units, one per request).
 *   <li>{@code gong}: 3/s and 10,000/day per company (Gong's documented default).
 *   <li>{@code zoom}: 20/s (Zoom Pro plan, "Medium" endpoints such as meeting and recording
 *       lists; limits are per account and depend on the plan, so override for other plans).
 *   <li>{@code reference}: 1,000/s, for the engine's own fake provider.
 * </ul>
 *
 * Any other provider gets {@link #FALLBACK}, 10/s, until its limits are configured.
 */
public final class ProviderLimitDefaults {

    /** Limits for providers without documented defaults. */
    public static final ProviderLimits FALLBACK = ProviderLimits.of(RequestAllowance.perSecond(10));

    private static final Map<String, ProviderLimits> DEFAULTS = Map.of(
            "salesforce", ProviderLimits.of(RequestAllowance.perSecond(25), RequestAllowance.perDay(100_000)),
            "dynamics", ProviderLimits.of(RequestAllowance.perSecond(60), RequestAllowance.perMinute(6_000),
                    new RequestAllowance(6_000, Duration.ofMinutes(5))),
            "teams", ProviderLimits.of(RequestAllowance.perSecond(30)),
            "onedrive", ProviderLimits.of(RequestAllowance.perMinute(625), RequestAllowance.perDay(600_000)),
            "google-drive", ProviderLimits.of(RequestAllowance.perMinute(325_000)),
            "gong", ProviderLimits.of(RequestAllowance.perSecond(3), RequestAllowance.perDay(10_000)),
            "zoom", ProviderLimits.of(RequestAllowance.perSecond(20)),
            "reference", ProviderLimits.of(RequestAllowance.perSecond(1_000)));

    private ProviderLimitDefaults() {
    }

    /** The documented defaults of a provider, empty when it has none here. */
    public static Optional<ProviderLimits> documented(String provider) {
        return Optional.ofNullable(DEFAULTS.get(provider));
    }

    /** The defaults of a provider, {@link #FALLBACK} when it has no documented ones. */
    public static ProviderLimits forProvider(String provider) {
        return DEFAULTS.getOrDefault(provider, FALLBACK);
    }
}
