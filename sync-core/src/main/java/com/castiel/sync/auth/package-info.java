/**
 * Token lifecycle: valid-token suppliers per integration with single-flight refresh
 * ({@link com.castiel.sync.auth.TokenLifecycle}, {@link com.castiel.sync.auth.IntegrationTokens}),
 * the proactive refresher ({@link com.castiel.sync.auth.ProactiveTokenRefresher}) and what a
 * failed refresh leads to ({@link com.castiel.sync.auth.TokenRefreshFailures}). The HTTP chain
 * sees it only through {@link com.castiel.sync.http.AccessTokens}; grants come from adapters'
 * {@link com.castiel.sync.spi.ProviderAdapter#refreshCredentials}.
 */
package com.castiel.sync.auth;
