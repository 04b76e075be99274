package com.castiel.sync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncStats;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.retry.FailureDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class JobLogTest {

    private static final SyncJobMessage JOB = new SyncJobMessage(IntegrationId.of("int-1"), TenantId.of("t1"), JobType.INCREMENTAL,
            "salesforce", null, List.of(), Instant.parse("2026-11-01T10:00:00Z"), 2, "corr-1", "scheduler");

    private final Logger logger = (Logger) LoggerFactory.getLogger(JobLog.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final JobLog jobLog = new JobLog();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(null);
    }

    @Test
    void a_completed_job_is_one_info_event_with_ids_stats_and_duration_as_key_values() {
        jobLog.completed(JOB, new SyncStats(1, 2, 3, 4, 5, 6, 7), Duration.ofMillis(4321));

        assertThat(appender.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getMessage()).isEqualTo("sync job completed");
            assertThat(keyValues(e)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("integrationId", "int-1"), Map.entry("tenantId", "t1"), Map.entry("provider", "salesforce"),
                    Map.entry("syncType", "incremental"), Map.entry("correlationId", "corr-1"), Map.entry("attempt", 2),
                    Map.entry("stats.created", 1L), Map.entry("stats.updated", 2L), Map.entry("stats.unchanged", 3L),
                    Map.entry("stats.deleted", 4L), Map.entry("stats.skipped", 5L), Map.entry("stats.failed", 6L),
                    Map.entry("stats.conflicts", 7L), Map.entry("durationMs", 4321L)));
        });
    }

    @Test
    void a_retried_failure_is_a_warning_with_the_retry_time() {
        Instant at = Instant.parse("2026-11-01T10:00:10Z");
        jobLog.failed(JOB, new FailureDecision.Retry(2, 3, at, Duration.ofSeconds(10), "TIMEOUT", "TIMEOUT: read timed out"), Duration.ofSeconds(3));

        assertThat(appender.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(keyValues(e)).containsEntry("errorCode", "TIMEOUT").containsEntry("willRetry", true)
                    .containsEntry("retryAt", "2026-11-01T10:00:10Z").containsEntry("durationMs", 3000L)
                    .containsEntry("integrationId", "int-1");
        });
    }

    @Test
    void a_dead_lettered_failure_is_an_error() {
        jobLog.failed(JOB, new FailureDecision.DeadLetter(2, 10, false, "NOT_FOUND", "NOT_FOUND: gone"), null);

        assertThat(appender.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(keyValues(e)).containsEntry("willRetry", false).doesNotContainKey("retryAt").doesNotContainKey("durationMs");
        });
    }

    private static Map<String, Object> keyValues(ILoggingEvent e) {
        Map<String, Object> kv = new LinkedHashMap<>();
        for (KeyValuePair p : e.getKeyValuePairs()) {
            kv.put(p.key, p.value);
        }
        return kv;
    }
}
