package com.castiel.sync.http;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header. Providers send it as delay seconds (Graph, Dataverse, Gong;
 * occasionally with a fraction), as an HTTP-date (RFC 9110), or as an ISO-8601 instant (Zoom's
 * daily-limit replies). A time in the past means "now".
 */
public final class RetryAfter {

    /** The header name, lower case as {@link HttpReply} stores it. */
    public static final String HEADER = "retry-after";

    private RetryAfter() {
    }

    /** The delay a reply asks for, or empty when it has no readable {@code Retry-After}. */
    public static Optional<Duration> of(HttpReply reply, Clock clock) {
        return reply.header(HEADER).flatMap(v -> parse(v, clock));
    }

    /**
     * Parses one header value.
     *
     * @return the delay from {@code clock}'s now, never negative; empty when the value is blank or
     *     in none of the accepted forms
     */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        if (Character.isDigit(v.charAt(0))) {
            Optional<Duration> seconds = seconds(v);
            if (seconds.isPresent()) {
                return seconds;
            }
            return instant(v).map(at -> untilOrZero(at, clock));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(untilOrZero(at, clock));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(String v) {
        try {
            BigDecimal s = new BigDecimal(v);
            if (s.signum() < 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(s.movePointRight(3).longValue()));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String v) {
        try {
            return Optional.of(Instant.parse(v));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.ISO_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static Duration untilOrZero(Instant at, Clock clock) {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
