/**
 * Provider request limits: token buckets per provider and tenant or org
 * ({@link com.castiel.sync.ratelimit.ProviderRateLimiter}), documented defaults per provider
 * ({@link com.castiel.sync.ratelimit.ProviderLimitDefaults}) with per-integration overrides, pauses
 * the provider asks for, and slow-down as a reported daily quota fills up. The HTTP chain sees it
 * only through {@link com.castiel.sync.http.RequestPermits}.
 */
package com.castiel.sync.ratelimit;
