package com.castiel.sync.auth;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * An OAuth token endpoint that behaves like a rotating provider (Graph, Gong): each refresh
 * grant issues a new access token and, when rotating, a new refresh token that invalidates the
 * previous one, so a second grant racing with a stale refresh token gets {@code invalid_grant}.
 */
final class RotatingTokenEndpoint implements CredentialRefresh {

    private final Clock clock;
    private final boolean rotate;
    private final Duration expiresIn;
    private final AtomicInteger grants = new AtomicInteger();
    private String validRefreshToken;
    private volatile RuntimeException failure;
    private volatile Runnable beforeAnswer = () -> { };

    /**
     * @param expiresIn lifetime of issued tokens; {@code null} for a provider that reports none (Salesforce)
     */
    RotatingTokenEndpoint(Clock clock, String initialRefreshToken, boolean rotate, Duration expiresIn) {
        this.clock = clock;
        this.validRefreshToken = initialRefreshToken;
        this.rotate = rotate;
        this.expiresIn = expiresIn;
    }

    @Override
    public Credentials refresh(Credentials current) {
        int n = grants.incrementAndGet();
        beforeAnswer.run();
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        synchronized (this) {
            if (current.refreshToken() == null || !current.refreshToken().equals(validRefreshToken)) {
                throw new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED, "invalid_grant",
                        SyncException.Details.of("example", 400, "invalid_grant"));
            }
            String nextRefresh = rotate ? "rt-" + (n + 1) : null;
            if (rotate) {
                validRefreshToken = nextRefresh;
            }
            return current.withGrant("access-" + n, nextRefresh,
                    expiresIn == null ? null : clock.instant().plus(expiresIn), null, clock.instant());
        }
    }

    int grants() {
        return grants.get();
    }

    void failWith(RuntimeException e) {
        failure = e;
    }

    void succeed() {
        failure = null;
    }

    /** Runs before each answer, to hold a grant open while concurrent callers pile up. */
    void beforeAnswer(Runnable r) {
        beforeAnswer = r;
    }

    /**
     * Blocks until {@code count} reaches {@code target} (at most 5 s), then holds on for 100 ms so
     * that every caller has reached its decision to refresh or to wait. Real time here only widens
     * the race window; no assertion depends on it.
     */
    static Runnable waitFor(IntSupplier count, int target) {
        return () -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (count.getAsInt() < target && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
