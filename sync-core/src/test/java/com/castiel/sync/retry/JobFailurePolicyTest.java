package com.castiel.sync.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.hostfixtures.MutableClock;
import com.castiel.sync.model.RetrySettings;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.SyncException.Details;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobFailurePolicyTest {

    private static final Details SF = Details.of("salesforce", 503, null);

    private final MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    private final JobFailurePolicy policy = new JobFailurePolicy(BackoffPolicy.DEFAULT, clock, new FixedUnitRandom(0.5));

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"RATE_LIMIT", "TIMEOUT", "SERVICE_UNAVAILABLE", "CONNECTION_RESET"})
    void the_seeds_retryable_errors_are_retried(ErrorCode code) {
        FailureDecision d = policy.decide(1, failure(code), null);

        assertThat(d).isInstanceOf(FailureDecision.Retry.class);
        assertThat(d.reason()).isEqualTo(code.name());
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"AUTHENTICATION_FAILED", "INVALID_CREDENTIALS", "NOT_FOUND", "VALIDATION_ERROR", "CONFLICT", "CONFIGURATION"})
    void non_retryable_errors_dead_letter_on_the_first_attempt(ErrorCode code) {
        FailureDecision d = policy.decide(1, failure(code), null);

        assertThat(d).isInstanceOfSatisfying(FailureDecision.DeadLetter.class, dl -> {
            assertThat(dl.exhausted()).isFalse();
            assertThat(dl.reason()).isEqualTo(code.name());
            assertThat(dl.attempt()).isEqualTo(1);
        });
    }

    @Test
    void a_retry_is_scheduled_at_now_plus_the_backoff_as_the_next_attempt() {
        FailureDecision.Retry r = (FailureDecision.Retry) policy.decide(3, failure(ErrorCode.TIMEOUT), null);

        assertThat(r.delay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-01T10:00:20Z"));
        assertThat(r.attempt()).isEqualTo(3);
        assertThat(r.nextAttempt()).isEqualTo(4);
    }

    @Test
    void the_retry_time_follows_the_clock() {
        clock.advance(Duration.ofHours(2));

        FailureDecision.Retry r = (FailureDecision.Retry) policy.decide(1, failure(ErrorCode.TIMEOUT), null);

        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-01T12:00:05Z"));
    }

    @Test
    void jitter_comes_from_the_injected_generator() {
        JobFailurePolicy low = new JobFailurePolicy(BackoffPolicy.DEFAULT, clock, new FixedUnitRandom(0.0));

        FailureDecision.Retry r = (FailureDecision.Retry) low.decide(1, failure(ErrorCode.TIMEOUT), null);

        assertThat(r.delay()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void a_retry_after_longer_than_the_backoff_is_waited_out() {
        SyncException limited = new SyncException.RateLimited("daily limit", Duration.ofMinutes(30), Details.of("salesforce", 429, "REQUEST_LIMIT_EXCEEDED"));

        FailureDecision.Retry r = (FailureDecision.Retry) policy.decide(1, limited, null);

        assertThat(r.delay()).isEqualTo(Duration.ofMinutes(30));
        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-01T10:30:00Z"));
    }

    @Test
    void a_retry_after_shorter_than_the_backoff_does_not_shorten_it() {
        SyncException limited = new SyncException.RateLimited("slow down", Duration.ofSeconds(1), SF);

        FailureDecision.Retry r = (FailureDecision.Retry) policy.decide(4, limited, null);

        assertThat(r.delay()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void a_transient_failures_retry_after_is_honoured_too() {
        SyncException unavailable = new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, "maintenance", Duration.ofMinutes(10), SF, null);

        FailureDecision.Retry r = (FailureDecision.Retry) policy.decide(2, unavailable, null);

        assertThat(r.delay()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void a_retryable_failure_on_the_last_attempt_is_dead_lettered_as_exhausted() {
        FailureDecision d = policy.decide(10, failure(ErrorCode.TIMEOUT), null);

        assertThat(d).isInstanceOfSatisfying(FailureDecision.DeadLetter.class, dl -> {
            assertThat(dl.exhausted()).isTrue();
            assertThat(dl.attempt()).isEqualTo(10);
            assertThat(dl.maxAttempts()).isEqualTo(10);
            assertThat(dl.reason()).isEqualTo("TIMEOUT");
        });
    }

    @Test
    void the_attempt_before_the_last_is_still_retried() {
        assertThat(policy.decide(9, failure(ErrorCode.TIMEOUT), null)).isInstanceOf(FailureDecision.Retry.class);
    }

    @Test
    void an_integration_can_lower_its_max_attempts() {
        RetrySettings three = new RetrySettings(3, null, null, null);

        assertThat(policy.decide(2, failure(ErrorCode.TIMEOUT), three)).isInstanceOf(FailureDecision.Retry.class);
        assertThat(policy.decide(3, failure(ErrorCode.TIMEOUT), three)).isInstanceOf(FailureDecision.DeadLetter.class);
    }

    @Test
    void an_integration_can_change_its_delays() {
        RetrySettings slow = new RetrySettings(null, 60_000L, 600_000L, 3.0);

        FailureDecision.Retry r = (FailureDecision.Retry) policy.decide(3, failure(ErrorCode.TIMEOUT), slow);

        assertThat(r.delay()).isEqualTo(Duration.ofMinutes(9));
    }

    @Test
    void an_unclassified_exception_is_retried_as_an_internal_error() {
        FailureDecision d = policy.decide(1, new UncheckedIOException(new java.io.IOException("disk busy")), null);

        assertThat(d).isInstanceOf(FailureDecision.Retry.class);
        assertThat(d.reason()).isEqualTo(DeadLetterReasons.INTERNAL_ERROR);
        assertThat(d.lastError()).startsWith("UncheckedIOException: ");
    }

    @Test
    void an_unclassified_exception_still_dead_letters_when_attempts_run_out() {
        FailureDecision d = policy.decide(10, new IllegalStateException("bug"), null);

        assertThat(d).isInstanceOf(FailureDecision.DeadLetter.class);
        assertThat(d.reason()).isEqualTo(DeadLetterReasons.INTERNAL_ERROR);
    }

    @Test
    void the_last_error_names_code_provider_status_and_message_on_one_line() {
        SyncException e = new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, "refresh token revoked\nby admin", Details.of("salesforce", 400, "invalid_grant"));

        FailureDecision d = policy.decide(1, e, null);

        assertThat(d.lastError()).isEqualTo("INVALID_CREDENTIALS (salesforce, HTTP 400, invalid_grant): refresh token revoked by admin");
    }

    @Test
    void the_dead_letter_description_carries_attempts_last_error_and_correlation_id() {
        FailureDecision.DeadLetter exhausted = (FailureDecision.DeadLetter) policy.decide(10, failure(ErrorCode.TIMEOUT), null);
        FailureDecision.DeadLetter refused = (FailureDecision.DeadLetter) policy.decide(2, failure(ErrorCode.NOT_FOUND), null);

        assertThat(exhausted.description("corr-1"))
                .isEqualTo("gave up after attempt 10 of 10; last error: TIMEOUT (salesforce, HTTP 503): it failed; correlationId=corr-1");
        assertThat(refused.description("corr-2"))
                .startsWith("non-retryable failure on attempt 2 of 10; last error: NOT_FOUND")
                .endsWith("correlationId=corr-2");
    }

    @Test
    void long_error_texts_are_bounded() {
        FailureDecision d = policy.decide(1, new IllegalStateException("x".repeat(10_000)), null);

        assertThat(d.lastError()).hasSizeLessThanOrEqualTo(1000);
        assertThat(new FailureDecision.DeadLetter(1, 1, true, "X", "y".repeat(10_000)).description("c")).hasSizeLessThanOrEqualTo(4096);
    }

    private static SyncException failure(ErrorCode code) {
        return switch (code) {
            case RATE_LIMIT -> new SyncException.RateLimited("it failed", null, SF);
            case TIMEOUT, SERVICE_UNAVAILABLE, CONNECTION_RESET -> new SyncException.Transient(code, "it failed", SF);
            case AUTH_EXPIRED -> new SyncException.AuthExpired("it failed", SF);
            case AUTHENTICATION_FAILED, INVALID_CREDENTIALS -> new SyncException.AuthFailed(code, "it failed", SF);
            case NOT_FOUND -> new SyncException.NotFound("it failed", SF);
            case VALIDATION_ERROR -> new SyncException.Validation("it failed", "Name", SF);
            case CONFLICT -> new SyncException.Conflict("it failed", SF);
            case CONFIGURATION -> new SyncException.Configuration("it failed", SF);
        };
    }
}
