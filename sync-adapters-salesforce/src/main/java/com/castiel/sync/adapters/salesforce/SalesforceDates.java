package com.castiel.sync.adapters.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Date-times in the forms Salesforce reads and writes. JSON bodies carry
 * {@code 2013-05-20T20:49:32.000+0000} (offset without a colon); SOAP bodies
 * {@code 2013-05-20T20:49:32.000Z}; SOQL date-time literals are unquoted
 * {@code 2013-05-20T20:49:32Z}, with a fraction only when the instant has one; conditional
 * headers are HTTP dates. Stateless.
 */
final class SalesforceDates {

    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter SOQL_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SOQL_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SalesforceDates() {
    }

    /**
     * Parses a Salesforce date-time; an offset is required.
     *
     * @return empty when {@code text} is null, blank or not a date-time with an offset
     */
    static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        try {
            Instant fast = parseJsonForm(trimmed);
            return Optional.of(fast != null ? fast : READ.parse(trimmed, t -> OffsetDateTime.from(t).toInstant()));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The form every JSON row carries ({@code 2013-05-20T20:49:32.000+0000}), read without the
     * general formatter, which costs more than the rest of turning a query row into a record; a
     * page of 2,000 rows has at least 2,000 of them.
     *
     * @return the instant, or {@code null} when {@code text} has another shape (the formatter
     *     decides then)
     * @throws java.time.DateTimeException when the shape is right but a field is out of range
     */
    static Instant parseJsonForm(String text) {
        if (text.length() != 28 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(19) != '.' || (text.charAt(23) != '+' && text.charAt(23) != '-')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = digits(text, 20, 3);
        int offsetHours = digits(text, 24, 2);
        int offsetMinutes = digits(text, 26, 2);
        if ((year | month | day | hour | minute | second | millis | offsetHours | offsetMinutes) < 0) {
            return null;
        }
        // LocalDateTime and ZoneOffset check the ranges (month 13, 31 April, hour 24, offset 19:00…)
        ZoneOffset offset = ZoneOffset.ofHoursMinutes(text.charAt(23) == '-' ? -offsetHours : offsetHours,
                text.charAt(23) == '-' ? -offsetMinutes : offsetMinutes);
        return java.time.LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000).toInstant(offset);
    }

    /** The decimal value of {@code length} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * A SOQL date-time literal in UTC. Salesforce keeps milliseconds, so a finer instant is
     * truncated to milliseconds: as a lower bound that can only widen a query, never skip a row.
     */
    static String soqlLiteral(Instant at) {
        Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
        return millis.getNano() == 0 ? SOQL_SECONDS.format(millis) : SOQL_MILLIS.format(millis);
    }

    /** ISO-8601 in UTC with milliseconds, for the {@code deleted} resource's parameters. */
    static String iso(Instant at) {
        return SOQL_MILLIS.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** An HTTP date ({@code If-Unmodified-Since}); whole seconds, truncated. */
    static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
}
