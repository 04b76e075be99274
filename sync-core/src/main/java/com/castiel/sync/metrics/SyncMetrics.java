package com.castiel.sync.metrics;

import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.port.JobQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's meters, in the seed's names, and the calls the pipelines make to feed them.
 *
 * <table>
 *   <caption>Meters and tags</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code sync_jobs_processed}</td><td>counter</td><td>provider, job_type, outcome = success | failure</td></tr>
 *   <tr><td>{@code sync_jobs_failed}</td><td>counter</td><td>provider, job_type, error_code, outcome = retry | dead_letter</td></tr>
 *   <tr><td>{@code sync_records_created}</td><td>counter</td><td>provider, job_type</td></tr>
 *   <tr><td>{@code sync_records_updated}</td><td>counter</td><td>provider, job_type</td></tr>
 *   <tr><td>{@code sync_latency_ms}</td><td>histogram of milliseconds</td><td>provider, job_type, outcome = success | failure</td></tr>
 *   <tr><td>{@code sync_queue_depth}</td><td>gauge</td><td>queue, state = active | scheduled | dead_lettered</td></tr>
 *   <tr><td>{@code writeback_latency_ms}</td><td>histogram of milliseconds</td><td>provider, operation, outcome = success | conflict | failure</td></tr>
 *   <tr><td>{@code token_refresh_failures}</td><td>counter</td><td>provider, outcome = error code in lower case | error</td></tr>
 * </table>
 *
 * <p><b>Cardinality.</b> The integration id and tenant id are deliberately <em>not</em> tags:
 * their number grows with customers, and every combination becomes a time series. Per-integration
 * detail lives in the structured job log ({@link JobLog}) and the run history. Every tag above
 * takes values from a small closed set (provider names, enum wire names, error codes).
 *
 * <p>The latencies are distribution summaries of milliseconds rather than timers so that the
 * exported names stay the seed's ({@code sync_latency_ms}); a Micrometer timer would gain a
 * {@code _seconds} suffix in Prometheus.
 *
 * <p>{@code token_refresh_failures} may also be incremented directly on the registry by the token
 * lifecycle; it must then use exactly the tags {@code provider} and {@code outcome}.
 *
 * <p>Queue depths are not read at scrape time (that would be I/O on the scrape thread): the host
 * calls {@link #sampleQueues} on a timer and the gauges show the last sample.
 *
 * <p>Thread-safe. {@code null} provider names are recorded as {@code unknown}.
 */
public final class SyncMetrics {

    public static final String JOBS_PROCESSED = "sync_jobs_processed";
    public static final String JOBS_FAILED = "sync_jobs_failed";
    public static final String RECORDS_CREATED = "sync_records_created";
    public static final String RECORDS_UPDATED = "sync_records_updated";
    public static final String SYNC_LATENCY = "sync_latency_ms";
    public static final String QUEUE_DEPTH = "sync_queue_depth";
    public static final String WRITEBACK_LATENCY = "writeback_latency_ms";
    public static final String TOKEN_REFRESH_FAILURES = "token_refresh_failures";

    /** The {@code outcome} values of {@code writeback_latency_ms}. */
    public static final java.util.Set<String> WRITE_BACK_OUTCOMES = java.util.Set.of("success", "conflict", "failure");

    /** Outcomes remembered for the failure-rate alert. */
    public static final int DEFAULT_OUTCOME_CAPACITY = 1000;

    private final MeterRegistry registry;
    private final Clock clock;
    private final JobOutcomeWindow outcomes;
    private final Map<String, QueueGauges> queues = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry, Clock clock) {
        this(registry, clock, DEFAULT_OUTCOME_CAPACITY);
    }

    /** @param outcomeCapacity most recent job outcomes kept for the failure-rate alert */
    public SyncMetrics(MeterRegistry registry, Clock clock, int outcomeCapacity) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outcomes = new JobOutcomeWindow(outcomeCapacity);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A sync job finished (possibly with failed records, which {@code stats.failed} counts). */
    public void jobCompleted(String provider, JobType jobType, SyncStats stats, Duration duration) {
        Objects.requireNonNull(stats, "stats");
        Tags base = Tags.of("provider", provider(provider), "job_type", jobType(jobType));
        registry.counter(JOBS_PROCESSED, base.and("outcome", "success")).increment();
        if (stats.created() > 0) {
            registry.counter(RECORDS_CREATED, base).increment(stats.created());
        }
        if (stats.updated() > 0) {
            registry.counter(RECORDS_UPDATED, base).increment(stats.updated());
        }
        latency(SYNC_LATENCY, base.and("outcome", "success"), duration);
        outcomes.record(clock.instant(), false);
    }

    /**
     * A sync job attempt failed as a whole.
     *
     * @param errorCode the failure's error code name (as in {@code FailureDecision.reason()})
     * @param willRetry whether it was rescheduled (else it was dead-lettered)
     * @param duration how long the attempt ran, or {@code null} if unknown
     */
    public void jobFailed(String provider, JobType jobType, String errorCode, boolean willRetry, Duration duration) {
        Tags base = Tags.of("provider", provider(provider), "job_type", jobType(jobType));
        registry.counter(JOBS_PROCESSED, base.and("outcome", "failure")).increment();
        registry.counter(JOBS_FAILED, base.and("error_code", errorCode == null ? "unknown" : errorCode,
                "outcome", willRetry ? "retry" : "dead_letter")).increment();
        if (duration != null) {
            latency(SYNC_LATENCY, base.and("outcome", "failure"), duration);
        }
        outcomes.record(clock.instant(), true);
    }

    /**
     * A write-back finished.
     *
     * @param outcome {@code success}, {@code conflict} or {@code failure}
     */
    public void writeBackCompleted(String provider, Operation operation, String outcome, Duration duration) {
        Objects.requireNonNull(operation, "operation");
        if (!WRITE_BACK_OUTCOMES.contains(outcome)) {
            // a free-form value here would become an unbounded tag
            throw new IllegalArgumentException("write-back outcome must be one of " + WRITE_BACK_OUTCOMES + ", was " + outcome);
        }
        latency(WRITEBACK_LATENCY, Tags.of("provider", provider(provider), "operation", operation.wire(), "outcome", outcome), duration);
    }

    /**
     * A token refresh failed. The token lifecycle ({@code auth.TokenRefreshFailures}) increments
     * the same counter directly on the registry; both use the tags {@code provider} and
     * {@code outcome}.
     *
     * @param outcome the failure's error code in lower case (e.g. {@code authentication_failed}),
     *     or {@code error} for an unclassified failure, as the token lifecycle records it
     */
    public void tokenRefreshFailed(String provider, String outcome) {
        Counter.builder(TOKEN_REFRESH_FAILURES).description("failed OAuth token refreshes")
                .tag("provider", provider(provider)).tag("outcome", Objects.requireNonNull(outcome, "outcome"))
                .register(registry).increment();
    }

    /** Token refresh failures counted so far, over every provider and outcome (also those counted directly on the registry). */
    public double tokenRefreshFailures() {
        return registry.find(TOKEN_REFRESH_FAILURES).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Records a queue's counts for the {@code sync_queue_depth} gauges and the alerts. */
    public void recordQueueStats(String queue, JobQueue.QueueStats stats) {
        Objects.requireNonNull(stats, "stats");
        queues.computeIfAbsent(Objects.requireNonNull(queue, "queue"), this::gauges).set(stats);
    }

    /**
     * Reads {@link JobQueue#stats} of each queue and records it; a queue whose stats cannot be
     * read keeps its previous sample.
     *
     * @return the queues sampled successfully, with their counts
     */
    public Map<String, JobQueue.QueueStats> sampleQueues(JobQueue jobQueue, Collection<String> queueNames) {
        Map<String, JobQueue.QueueStats> sampled = new LinkedHashMap<>();
        for (String q : queueNames) {
            try {
                JobQueue.QueueStats s = jobQueue.stats(q);
                recordQueueStats(q, s);
                sampled.put(q, s);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SyncMetrics.class).atWarn().setMessage("could not read queue stats")
                        .addKeyValue("queue", q).addKeyValue("error", e.getClass().getSimpleName()).log();
            }
        }
        return sampled;
    }

    /** The last recorded counts per queue. */
    public Map<String, JobQueue.QueueStats> queueStats() {
        Map<String, JobQueue.QueueStats> copy = new LinkedHashMap<>();
        queues.forEach((q, g) -> copy.put(q, g.stats()));
        return copy;
    }

    /** Recent job outcomes, for the failure-rate alert. */
    public JobOutcomeWindow outcomes() {
        return outcomes;
    }

    private void latency(String name, Tags tags, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        // expected range bounds the histogram to a few dozen buckets per series instead of ~270
        DistributionSummary.builder(name).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(name.equals(SYNC_LATENCY) ? 4.0 * 3_600_000 : 600_000.0)
                .description(name.equals(SYNC_LATENCY) ? "Sync job duration in milliseconds" : "Write-back duration in milliseconds")
                .register(registry).record(Math.max(0, duration.toMillis()));
    }

    private QueueGauges gauges(String queue) {
        QueueGauges g = new QueueGauges();
        Gauge.builder(QUEUE_DEPTH, g.active, AtomicLong::get).tags("queue", queue, "state", "active").register(registry);
        Gauge.builder(QUEUE_DEPTH, g.scheduled, AtomicLong::get).tags("queue", queue, "state", "scheduled").register(registry);
        Gauge.builder(QUEUE_DEPTH, g.deadLettered, AtomicLong::get).tags("queue", queue, "state", "dead_lettered").register(registry);
        return g;
    }

    private static String provider(String provider) {
        return provider == null || provider.isBlank() ? "unknown" : provider;
    }

    private static String jobType(JobType jobType) {
        return jobType == null ? "unknown" : jobType.wire();
    }

    /** Holds the gauge values strongly: Micrometer gauges only keep weak references. */
    private static final class QueueGauges {
        final AtomicLong active = new AtomicLong();
        final AtomicLong scheduled = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();

        void set(JobQueue.QueueStats s) {
            active.set(s.active());
            scheduled.set(s.scheduled());
            deadLettered.set(s.deadLettered());
        }

        JobQueue.QueueStats stats() {
            return new JobQueue.QueueStats(active.get(), scheduled.get(), deadLettered.get());
        }
    }
}
