package com.castiel.sync.transform;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The wire format of a date or datetime field, read from {@code FieldMapping.format}.
 *
 * @param kind which family of format
 * @param formatter the compiled pattern when {@code kind} is {@link Kind#PATTERN}, else {@code null}
 * @param text the format as configured, for messages
 */
record TemporalFormat(Kind kind, DateTimeFormatter formatter, String text) {

    enum Kind {
        /** ISO 8601 text; the default when no format is configured. */
        ISO8601,
        /** Salesforce's {@code 2013-05-20T20:49:32.000+0000}; reads any ISO text. */
        SALESFORCE,
        /** Milliseconds since the epoch, as a JSON number or numeric text. */
        EPOCH_MILLIS,
        /** Seconds since the epoch, as a JSON number or numeric text, fractions allowed inbound. */
        EPOCH_SECONDS,
        /** A {@link DateTimeFormatter} pattern, applied in UTC when it carries no zone. */
        PATTERN
    }

    static final TemporalFormat ISO = new TemporalFormat(Kind.ISO8601, null, "iso8601");

    /**
     * Reads a configured format. Keywords are case-insensitive; anything else must be a valid
     * {@link DateTimeFormatter} pattern.
     *
     * @param format the configured format, {@code null} or blank for ISO 8601
     * @param dateOnly whether the field is a date, which also accepts the keyword {@code date}
     * @throws IllegalArgumentException naming the accepted keywords when the text is neither a
     *     keyword nor a valid pattern
     */
    static TemporalFormat parse(String format, boolean dateOnly) {
        if (format == null || format.isBlank()) {
            return ISO;
        }
        String keyword = format.strip().toLowerCase(Locale.ROOT);
        switch (keyword) {
            case "iso8601", "iso-8601", "iso_8601", "iso":
                return ISO;
            case "salesforce":
                return new TemporalFormat(Kind.SALESFORCE, null, "salesforce");
            case "epoch_millis":
                return new TemporalFormat(Kind.EPOCH_MILLIS, null, "epoch_millis");
            case "epoch_seconds":
                return new TemporalFormat(Kind.EPOCH_SECONDS, null, "epoch_seconds");
            case "date":
                if (dateOnly) {
                    return ISO;
                }
                break;
            default:
                break;
        }
        try {
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(format, Locale.ROOT).withZone(ZoneOffset.UTC);
            return new TemporalFormat(Kind.PATTERN, formatter, format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format '" + format + "' is neither one of iso8601, salesforce, epoch_millis, epoch_seconds"
                    + (dateOnly ? ", date" : "") + " nor a valid DateTimeFormatter pattern (" + e.getMessage() + ")", e);
        }
    }

    boolean isEpoch() {
        return kind == Kind.EPOCH_MILLIS || kind == Kind.EPOCH_SECONDS;
    }
}
