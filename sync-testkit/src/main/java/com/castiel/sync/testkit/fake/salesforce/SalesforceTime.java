package com.castiel.sync.testkit.fake.salesforce;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Date-time text as Salesforce writes it: JSON bodies use {@code 2013-05-20T20:49:32.000+0000}
 * (milliseconds, offset without a colon), SOAP bodies {@code 2013-05-20T20:49:32.000Z}, and the
 * {@code deleted} resource's parameters accept ISO-8601 with any offset. Stateless.
 */
final class SalesforceTime {

    private static final DateTimeFormatter JSON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SOAP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private SalesforceTime() {
    }

    /** JSON form, e.g. {@code 2013-05-20T20:49:32.000+0000}. */
    static String json(Instant at) {
        return JSON.format(at);
    }

    /** SOAP {@code xsd:dateTime} form, e.g. {@code 2013-05-20T20:49:32.000Z}. */
    static String soap(Instant at) {
        return SOAP.format(at);
    }

    /** Parses any of the forms above (an offset is required). */
    static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LENIENT.parse(text.trim(), t -> java.time.OffsetDateTime.from(t).toInstant()));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
