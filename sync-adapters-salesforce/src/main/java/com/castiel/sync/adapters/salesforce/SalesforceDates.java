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
        try {
            return Optional.of(READ.parse(text.trim(), t -> OffsetDateTime.from(t).toInstant()));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
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
