/**
 * Job-level retries and dead letters. {@link com.castiel.sync.retry.JobFailurePolicy} decides
 * (retry with backoff and jitter, or dead-letter) from the attempt, the error's code and the
 * integration's overrides; {@link com.castiel.sync.retry.JobSettlement} applies the decision to a
 * received message (re-send as the next attempt at a scheduled time, then complete; or dead-letter
 * and announce); {@link com.castiel.sync.retry.DeadLetterReview} lists, replays, purges and
 * announces dead letters. Request-level retries (inside one HTTP exchange) live in {@code http}.
 */
package com.castiel.sync.retry;
