package com.castiel.sync.engine;

import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.metrics.JobLog;
import com.castiel.sync.metrics.SyncMetrics;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.port.EventPublisher;
import com.castiel.sync.retry.FailureDecision;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the end of an inbound job attempt the same way in both shells: metrics, the structured
 * job log and, for failures, the {@code SyncFailed} event with whether the job will be retried.
 * Never throws.
 */
public final class JobReporting {

    private static final Logger log = LoggerFactory.getLogger(JobReporting.class);

    private final SyncMetrics metrics;
    private final JobLog jobLog;
    private final EventPublisher events;
    private final Clock clock;

    public JobReporting(SyncMetrics metrics, JobLog jobLog, EventPublisher events, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.jobLog = Objects.requireNonNull(jobLog, "jobLog");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void completed(SyncJobMessage job, InboundOutcome outcome) {
        try {
            Duration duration = outcome.run().duration();
            metrics.jobCompleted(job.provider(), outcome.run().jobType(), outcome.run().stats(), duration);
            jobLog.completed(job, outcome.run().stats(), duration);
        } catch (RuntimeException e) {
            log.warn("could not report completion of job {}: {}", job.correlationId(), e.toString());
        }
    }

    public void failed(SyncJobMessage job, FailureDecision decision, Duration duration) {
        try {
            metrics.jobFailed(job.provider(), job.jobType(), decision.reason(), decision.willRetry(), duration);
            jobLog.failed(job, decision, duration);
            events.publish(new SyncEvent.SyncFailed(job.tenantId(), job.integrationId(), job.provider(), (RunId) null, job.jobType(),
                    decision.reason(), decision.lastError(), decision.attempt(), decision.willRetry(), clock.instant(), job.correlationId()));
        } catch (RuntimeException e) {
            log.warn("could not report failure of job {}: {}", job.correlationId(), e.toString());
        }
    }

    public SyncMetrics metrics() {
        return metrics;
    }
}
