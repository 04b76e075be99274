package com.castiel.sync.metrics;

import com.castiel.sync.port.JobQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates the seed's four alerts from {@link SyncMetrics}:
 *
 * <table>
 *   <caption>Alerts</caption>
 *   <tr><th>name</th><th>fires when</th><th>severity</th></tr>
 *   <tr><td>{@code high_failure_rate}</td><td>of the last {@code failureWindowJobs} sync job
 *       attempts that finished within {@code failureWindow} (at least {@code failureMinJobs} of
 *       them), the failed fraction exceeds {@code failureRate}. Each attempt counts, so a job that
 *       fails twice and then succeeds is two failures and one success.</td><td>critical</td></tr>
 *   <tr><td>{@code queue_backlog}</td><td>a queue's active messages (last sample) exceed
 *       {@code queueBacklog}; one alert per queue</td><td>warning</td></tr>
 *   <tr><td>{@code token_refresh_failure}</td><td>token refresh failures counted within the last
 *       {@code tokenRefreshWindow} exceed {@code tokenRefreshFailures} (default 0: any)</td><td>high</td></tr>
 *   <tr><td>{@code dead_letter_accumulation}</td><td>dead letters over all queues (last sample)
 *       exceed {@code deadLetters}</td><td>warning</td></tr>
 * </table>
 *
 * <p>Evaluation does no I/O: queue counts are the ones last recorded by
 * {@link SyncMetrics#sampleQueues}. The token refresh counter is a running total, so the
 * evaluator remembers the totals it has seen, with their time, to know how many failures fall in
 * the window; failures counted before the evaluator was created count as recent.
 *
 * <p>Thread-safe.
 */
public final class AlertEvaluator {

    private final SyncMetrics metrics;
    private final AlertThresholds thresholds;
    private final Clock clock;
    /** Token refresh failure totals, each kept from the time it was first seen; only changes are stored. */
    private final Deque<Sample> refreshTotals = new ArrayDeque<>();

    public AlertEvaluator(SyncMetrics metrics, AlertThresholds thresholds, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.clock = Objects.requireNonNull(clock, "clock");
        refreshTotals.add(new Sample(clock.instant(), 0.0));
    }

    public AlertThresholds thresholds() {
        return thresholds;
    }

    /** The alerts that hold now, most urgent first. */
    public List<Alert> evaluate() {
        Instant now = clock.instant();
        List<Alert> alerts = new ArrayList<>();
        failureRate(now, alerts);
        tokenRefresh(now, alerts);
        Map<String, JobQueue.QueueStats> queues = metrics.queueStats();
        backlog(queues, alerts);
        deadLetters(queues, alerts);
        alerts.sort((a, b) -> a.severity().compareTo(b.severity()));
        return List.copyOf(alerts);
    }

    private void failureRate(Instant now, List<Alert> alerts) {
        JobOutcomeWindow.Counts c = metrics.outcomes().recent(thresholds.failureWindowJobs(), thresholds.failureWindow(), now);
        if (c.total() < thresholds.failureMinJobs() || !(c.failureRate() > thresholds.failureRate())) {
            return;
        }
        alerts.add(new Alert(Alert.HIGH_FAILURE_RATE, AlertSeverity.CRITICAL, c.failureRate(), thresholds.failureRate(),
                String.format(Locale.ROOT, "%d of the last %d sync job attempts failed (%.1f %%, threshold %.1f %%)",
                        c.failed(), c.total(), 100 * c.failureRate(), 100 * thresholds.failureRate())));
    }

    private void tokenRefresh(Instant now, List<Alert> alerts) {
        double recent;
        synchronized (refreshTotals) {
            double total = metrics.tokenRefreshFailures();
            if (refreshTotals.getLast().total() != total) {
                refreshTotals.addLast(new Sample(now, total));
            }
            Instant windowStart = now.minus(thresholds.tokenRefreshWindow());
            // keep the newest sample at or before the window start: it is the total at that moment
            while (refreshTotals.size() >= 2) {
                Sample first = refreshTotals.removeFirst();
                if (refreshTotals.getFirst().at().isAfter(windowStart)) {
                    refreshTotals.addFirst(first);
                    break;
                }
            }
            double baseline = refreshTotals.getFirst().total();
            recent = total >= baseline ? total - baseline : total;
        }
        if (recent > thresholds.tokenRefreshFailures()) {
            alerts.add(new Alert(Alert.TOKEN_REFRESH_FAILURE, AlertSeverity.HIGH, recent, thresholds.tokenRefreshFailures(),
                    String.format(Locale.ROOT, "%.0f token refresh failure(s) in the last %d min; affected integrations may need re-authorisation",
                            recent, thresholds.tokenRefreshWindow().toMinutes())));
        }
    }

    private void backlog(Map<String, JobQueue.QueueStats> queues, List<Alert> alerts) {
        queues.forEach((queue, s) -> {
            if (s.active() > thresholds.queueBacklog()) {
                alerts.add(new Alert(Alert.QUEUE_BACKLOG, AlertSeverity.WARNING, s.active(), thresholds.queueBacklog(),
                        "queue " + queue + " has " + s.active() + " pending messages (threshold " + thresholds.queueBacklog() + ")"));
            }
        });
    }

    private void deadLetters(Map<String, JobQueue.QueueStats> queues, List<Alert> alerts) {
        long total = queues.values().stream().mapToLong(JobQueue.QueueStats::deadLettered).sum();
        if (total > thresholds.deadLetters()) {
            StringBuilder where = new StringBuilder();
            queues.forEach((queue, s) -> {
                if (s.deadLettered() > 0) {
                    where.append(where.isEmpty() ? "" : ", ").append(queue).append(": ").append(s.deadLettered());
                }
            });
            alerts.add(new Alert(Alert.DEAD_LETTER_ACCUMULATION, AlertSeverity.WARNING, total, thresholds.deadLetters(),
                    total + " dead letters await review (" + where + "; threshold " + thresholds.deadLetters() + ")"));
        }
    }

    private record Sample(Instant at, double total) {
    }
}
