package com.castiel.sync.testkit.fake.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The org's API allowance: the daily request count Salesforce reports in
 * {@code Sforce-Limit-Info: api-usage=used/limit} and enforces with 403
 * {@code REQUEST_LIMIT_EXCEEDED} ("TotalRequests Limit exceeded."), and an optional
 * requests-per-second cap standing in for the org's concurrency limit, refused the same way
 * ("ConcurrentRequests Limit exceeded."). Salesforce sends no {@code Retry-After} with either.
 *
 * <p>The daily count is a rolling 24 hours on the injected clock, kept per minute so memory stays
 * constant however many requests arrive; the per-second cap counts the requests of the last
 * second. Refused requests are not counted. Thread-safe.
 */
final class ApiLimits {

    /** Why a request was refused. */
    enum Refusal { DAILY, PER_SECOND }

    private final Clock clock;
    /** Requests per minute of the last 24 hours: {epoch minute, count}, oldest first. */
    private final Deque<long[]> day = new ArrayDeque<>();
    private long dayTotal;
    private final Deque<Instant> second = new ArrayDeque<>();
    private long dailyLimit = 100_000;
    private int perSecond;

    ApiLimits(Clock clock) {
        this.clock = clock;
    }

    synchronized void dailyLimit(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("daily limit must be positive");
        }
        this.dailyLimit = limit;
    }

    /** Caps requests per second; 0 removes the cap. */
    synchronized void perSecond(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("per-second limit must not be negative");
        }
        this.perSecond = limit;
        second.clear();
    }

    /** Counts one request, or tells why it is refused (then it is not counted). */
    synchronized Refusal admit() {
        Instant now = clock.instant();
        prune(now);
        if (dayTotal >= dailyLimit) {
            return Refusal.DAILY;
        }
        if (perSecond > 0 && second.size() >= perSecond) {
            return Refusal.PER_SECOND;
        }
        long minute = now.getEpochSecond() / 60;
        if (day.isEmpty() || day.peekLast()[0] != minute) {
            day.addLast(new long[] {minute, 0});
        }
        day.peekLast()[1]++;
        dayTotal++;
        if (perSecond > 0) {
            second.addLast(now);
        }
        return null;
    }

    /** The {@code Sforce-Limit-Info} value. */
    synchronized String header() {
        prune(clock.instant());
        return "api-usage=" + dayTotal + "/" + dailyLimit;
    }

    synchronized long used() {
        prune(clock.instant());
        return dayTotal;
    }

    private void prune(Instant now) {
        long firstMinuteKept = now.minus(Duration.ofDays(1)).getEpochSecond() / 60 + 1;
        while (!day.isEmpty() && day.peekFirst()[0] < firstMinuteKept) {
            dayTotal -= day.removeFirst()[1];
        }
        Instant secondStart = now.minus(1, ChronoUnit.SECONDS);
        while (!second.isEmpty() && !second.peekFirst().isAfter(secondStart)) {
            second.removeFirst();
        }
    }
}
