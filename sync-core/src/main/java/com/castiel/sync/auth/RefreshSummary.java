package com.castiel.sync.auth;

/**
 * What one run of the {@link ProactiveTokenRefresher} did.
 *
 * @param refreshed integrations whose tokens were refreshed
 * @param alreadyFresh integrations found expiring whose stored token had meanwhile been renewed
 * @param failed integrations whose refresh failed (each failure was recorded)
 * @param skipped integrations not attempted: deleted, already {@code needs_reauth}, or whose
 *     adapter cannot refresh tokens
 */
public record RefreshSummary(int refreshed, int alreadyFresh, int failed, int skipped) {
}
