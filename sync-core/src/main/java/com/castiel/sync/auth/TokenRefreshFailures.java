package com.castiel.sync.auth;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.spi.SyncException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a token refresh fails, wherever it was attempted (on demand or by the
 * {@link ProactiveTokenRefresher}): the counter {@code token_refresh_failures} (tags
 * {@code provider}, {@code outcome} = the failure's error code in lower case, or {@code error}
 * for an unclassified failure) is incremented, a {@link SyncEvent.TokenRefreshFailed} is
 * published, and after {@code reauthAfter} refusals without a success in between (non-retryable failures
 * such as {@code invalid_grant}) the integration is set to {@code needs_reauth} with a conditional update,
 * which takes it out of scheduling. Retryable failures (the token endpoint timing out or
 * answering 5xx) are counted and announced but never escalate on their own: re-authorising would
 * not fix them. A successful refresh resets the counts; so does marking the integration, so a
 * re-authorised integration starts again from zero.
 *
 * <p>Counts are kept in memory per host: a restarted host counts again from zero. Logs carry ids
 * and error codes only, never messages or secrets. Thread-safe.
 */
public final class TokenRefreshFailures {

    /** Consecutive refusals after which an integration needs re-authorisation, by default. */
    public static final int DEFAULT_REAUTH_AFTER = 3;

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefreshFailures.class);
    private static final int UPDATE_ATTEMPTS = 5;

    private final IntegrationStore integrations;
    private final EventPublisher events;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int reauthAfter;
    private final ConcurrentMap<IntegrationKey, Streak> streaks = new ConcurrentHashMap<>();

    /** Failures of any kind since the last success, and how many of them were refusals. */
    private record Streak(int failures, int refusals) {
        Streak after(boolean refusal) {
            return new Streak(failures + 1, refusal ? refusals + 1 : refusals);
        }
    }

    public TokenRefreshFailures(IntegrationStore integrations, EventPublisher events, MeterRegistry meters, Clock clock,
                                int reauthAfter) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.events = Objects.requireNonNull(events, "events");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (reauthAfter < 1) {
            throw new IllegalArgumentException("reauthAfter must be at least 1, got " + reauthAfter);
        }
        this.reauthAfter = reauthAfter;
    }

    /**
     * Records one failed refresh. A failure that is not a retryable {@link SyncException}
     * (including an unclassified exception) counts as a refusal.
     *
     * @return the number of consecutive failures including this one
     */
    public int recordFailure(TenantId tenant, IntegrationId integration, String provider, RuntimeException failure) {
        String code = failure instanceof SyncException s ? s.code().name() : "UNCLASSIFIED";
        String outcome = failure instanceof SyncException s ? s.code().name().toLowerCase(Locale.ROOT) : "error";
        Counter.builder("token_refresh_failures").description("failed OAuth token refreshes")
                .tag("provider", provider).tag("outcome", outcome).register(meters).increment();
        boolean refusal = !(failure instanceof SyncException s && s.retryable());
        IntegrationKey key = new IntegrationKey(tenant, integration);
        Streak streak = streaks.compute(key, (k, v) -> (v == null ? new Streak(0, 0) : v).after(refusal));
        int count = streak.failures();
        boolean needsReauth = false;
        if (streak.refusals() >= reauthAfter) {
            needsReauth = markNeedsReauth(tenant, integration);
            if (needsReauth) {
                streaks.remove(key);
            }
        }
        LOG.warn("token refresh failed for integration {} (tenant {}, provider {}): {}; {} consecutive failure(s){}",
                integration, tenant, provider, code, count, needsReauth ? "; integration set to needs_reauth" : "");
        publish(new SyncEvent.TokenRefreshFailed(tenant, integration, provider, code, count, needsReauth, clock.instant()));
        return count;
    }

    /** Records a successful refresh: the consecutive count starts again. */
    public void recordSuccess(TenantId tenant, IntegrationId integration) {
        streaks.remove(new IntegrationKey(tenant, integration));
    }

    /** Consecutive failures since the last success (or since the integration was marked). */
    public int consecutiveFailures(TenantId tenant, IntegrationId integration) {
        Streak streak = streaks.get(new IntegrationKey(tenant, integration));
        return streak == null ? 0 : streak.failures();
    }

    private boolean markNeedsReauth(TenantId tenant, IntegrationId id) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Optional<Integration> current;
            try {
                current = integrations.get(tenant, id);
            } catch (RuntimeException e) {
                LOG.error("could not read integration {} to mark it needs_reauth: {}", id, e.getClass().getSimpleName());
                return false;
            }
            if (current.isEmpty()) {
                return false;
            }
            if (current.get().status() == IntegrationStatus.NEEDS_REAUTH) {
                return true;
            }
            try {
                integrations.update(current.get().withData(d -> d.withStatus(IntegrationStatus.NEEDS_REAUTH)));
                return true;
            } catch (StoreConflictException e) {
                // someone else updated it meanwhile: re-read and try again
            } catch (RuntimeException e) {
                LOG.error("could not mark integration {} needs_reauth: {}", id, e.getClass().getSimpleName());
                return false;
            }
        }
        LOG.error("could not mark integration {} needs_reauth: {} conflicting updates in a row", id, UPDATE_ATTEMPTS);
        return false;
    }

    private void publish(SyncEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            LOG.warn("could not publish {} for integration {}: {}", event.eventType(), event.integrationId(),
                    e.getClass().getSimpleName());
        }
    }
}
