package com.castiel.sync.metrics;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.retry.FailureDecision;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The structured log of finished jobs: exactly one event per finished attempt, on logger
 * {@value #LOGGER}, with its facts as SLF4J key-value pairs (so a JSON encoder emits them as
 * fields, not inside the message text):
 *
 * <ul>
 *   <li>completed (INFO, message {@code sync job completed}): {@code integrationId},
 *       {@code tenantId}, {@code provider}, {@code syncType}, {@code correlationId},
 *       {@code attempt}, {@code stats.created}, {@code stats.updated}, {@code stats.unchanged},
 *       {@code stats.deleted}, {@code stats.skipped}, {@code stats.failed},
 *       {@code stats.conflicts}, {@code durationMs};</li>
 *   <li>failed (WARN when retried, ERROR when dead-lettered; message {@code sync job failed}):
 *       the identity keys plus {@code errorCode}, {@code error}, {@code willRetry},
 *       {@code retryAt} (when retried) and {@code durationMs}.</li>
 * </ul>
 *
 * <p>Values are ids, counts and log-safe error summaries; never record contents or secrets.
 * Thread-safe.
 */
public final class JobLog {

    /** The logger name, for routing job events to their own appender. */
    public static final String LOGGER = "com.castiel.sync.jobs";

    private final Logger log;

    public JobLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    public JobLog(Logger log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Logs a job that finished (possibly with failed records). */
    public void completed(SyncJobMessage job, SyncStats stats, Duration duration) {
        completed(job.integrationId(), job.tenantId(), job.provider(), job.jobType(), job.correlationId(), job.attempt(), stats, duration);
    }

    /** Logs a job that finished, from its parts. */
    public void completed(IntegrationId integrationId, TenantId tenantId, String provider, JobType syncType, String correlationId,
                          int attempt, SyncStats stats, Duration duration) {
        Objects.requireNonNull(stats, "stats");
        LoggingEventBuilder e = identity(log.atInfo(), integrationId, tenantId, provider, syncType, correlationId, attempt)
                .addKeyValue("stats.created", stats.created())
                .addKeyValue("stats.updated", stats.updated())
                .addKeyValue("stats.unchanged", stats.unchanged())
                .addKeyValue("stats.deleted", stats.deleted())
                .addKeyValue("stats.skipped", stats.skipped())
                .addKeyValue("stats.failed", stats.failed())
                .addKeyValue("stats.conflicts", stats.conflicts())
                .addKeyValue("durationMs", Objects.requireNonNull(duration, "duration").toMillis());
        e.setMessage("sync job completed").log();
    }

    /** Logs a job attempt that failed, with what the retry policy decided. */
    public void failed(SyncJobMessage job, FailureDecision decision, Duration duration) {
        Objects.requireNonNull(decision, "decision");
        LoggingEventBuilder e = identity(decision.willRetry() ? log.atWarn() : log.atError(),
                job.integrationId(), job.tenantId(), job.provider(), job.jobType(), job.correlationId(), job.attempt())
                .addKeyValue("errorCode", decision.reason())
                .addKeyValue("error", decision.lastError())
                .addKeyValue("willRetry", decision.willRetry());
        if (decision instanceof FailureDecision.Retry r) {
            e = e.addKeyValue("retryAt", r.at().toString());
        }
        if (duration != null) {
            e = e.addKeyValue("durationMs", duration.toMillis());
        }
        e.setMessage("sync job failed").log();
    }

    private static LoggingEventBuilder identity(LoggingEventBuilder e, IntegrationId integrationId, TenantId tenantId, String provider,
                                                JobType syncType, String correlationId, int attempt) {
        return e.addKeyValue("integrationId", integrationId == null ? null : integrationId.value())
                .addKeyValue("tenantId", tenantId == null ? null : tenantId.value())
                .addKeyValue("provider", provider)
                .addKeyValue("syncType", syncType == null ? null : syncType.wire())
                .addKeyValue("correlationId", correlationId)
                .addKeyValue("attempt", attempt);
    }
}
