package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/**
 * {@code datetime} fields. The shard holds UTC text with millisecond precision
 * ({@code 2013-05-20T20:49:32.000Z}).
 *
 * <p>Inbound, whatever the format: ISO-8601 text with {@code Z} or an offset (Salesforce's
 * {@code +0000} included), with or without a fraction; a bare date as midnight UTC; a JSON number
 * as epoch milliseconds (epoch seconds when the format is {@code epoch_seconds}). Numeric text is
 * read as an epoch value only when the format is an epoch format, since elsewhere it is more
 * likely a mistake. A time without an offset is refused: guessing a zone would shift the value
 * silently; a {@link java.time.format.DateTimeFormatter} pattern without a zone is read as UTC.
 *
 * <p>Outbound, by format: ISO (the shard text), Salesforce ({@code yyyy-MM-dd'T'HH:mm:ss.SSS+0000}),
 * epoch milliseconds, epoch seconds (milliseconds dropped) or the pattern, always in UTC.
 */
final class DateTimeConversion implements ValueConverter {

    private final TemporalFormat format;

    DateTimeConversion(TemporalFormat format) {
        this.format = format;
    }

    @Override
    public FieldType type() {
        return FieldType.DATETIME;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        if (isBlankText(wireValue)) {
            return NullNode.instance;
        }
        return TextNode.valueOf(IsoTimestamp.formatMillis(epochMillis(wireValue, format), "Z"));
    }

    @Override
    public JsonNode canonical(JsonNode shardValue) {
        if (isBlankText(shardValue)) {
            return NullNode.instance;
        }
        return TextNode.valueOf(IsoTimestamp.formatMillis(epochMillis(shardValue, TemporalFormat.ISO), "Z"));
    }

    @Override
    public JsonNode toExternal(JsonNode canonicalValue) {
        String text = canonicalValue.textValue();
        return switch (format.kind()) {
            case ISO8601 -> canonicalValue;
            // the canonical text is fixed-width: 23 characters, then Z
            case SALESFORCE -> TextNode.valueOf(text.substring(0, 23).concat("+0000"));
            case EPOCH_MILLIS -> LongNode.valueOf(IsoTimestamp.parse(text).instant().toEpochMilli());
            case EPOCH_SECONDS -> LongNode.valueOf(IsoTimestamp.parse(text).instant().getEpochSecond());
            case PATTERN -> TextNode.valueOf(format.formatter().format(IsoTimestamp.parse(text).instant()));
        };
    }

    static boolean isBlankText(JsonNode value) {
        return value.isTextual() && value.textValue().isBlank();
    }

    /** Reads a provider or shard value as epoch milliseconds under a wire format. */
    static long epochMillis(JsonNode value, TemporalFormat format) {
        if (value.isNumber()) {
            BigDecimal number = Decimals.of(value);
            return format.kind() == TemporalFormat.Kind.EPOCH_SECONDS ? secondsToMillis(number, value) : wholeMillis(number, value);
        }
        if (!value.isTextual()) {
            throw new InvalidValueException(ValueDisplay.of(value) + " is not a datetime");
        }
        String text = value.textValue().strip();
        if (format.isEpoch() && looksNumeric(text)) {
            BigDecimal number = Decimals.parse(text);
            if (number == null) {
                throw new InvalidValueException(ValueDisplay.of(value) + " is not a number of " + unit(format));
            }
            return format.kind() == TemporalFormat.Kind.EPOCH_SECONDS ? secondsToMillis(number, value) : wholeMillis(number, value);
        }
        if (format.kind() == TemporalFormat.Kind.PATTERN) {
            return patternMillis(text, value, format);
        }
        IsoTimestamp.Parsed parsed = IsoTimestamp.parse(text);
        if (parsed == null) {
            throw new InvalidValueException(ValueDisplay.of(value)
                    + " is not a datetime (expected ISO 8601 with an offset, e.g. 2013-05-20T20:49:32.000+0000)");
        }
        if (!parsed.hasTime()) {
            return parsed.date().toEpochDay() * 86_400_000L;
        }
        if (!parsed.hasOffset()) {
            throw new InvalidValueException(ValueDisplay.of(value)
                    + " has no UTC offset; the provider must send one, or set the mapping's format to a pattern read as UTC");
        }
        Instant instant = parsed.instant();
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1000L), instant.getNano() / 1_000_000);
    }

    private static long patternMillis(String text, JsonNode value, TemporalFormat format) {
        try {
            TemporalAccessor parsed = format.formatter().parse(text);
            if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
                return Instant.from(parsed).toEpochMilli();
            }
            LocalDate date = parsed.query(TemporalQueries.localDate());
            if (date != null) {
                return date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidValueException(ValueDisplay.of(value) + " does not match the format '" + format.text() + "'");
        }
        throw new InvalidValueException(ValueDisplay.of(value) + " has no date in the format '" + format.text() + "'");
    }

    private static long wholeMillis(BigDecimal number, JsonNode original) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidValueException(ValueDisplay.of(original) + " is not a whole number of epoch milliseconds");
        }
    }

    private static long secondsToMillis(BigDecimal seconds, JsonNode original) {
        try {
            return seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidValueException(ValueDisplay.of(original) + " is out of range for epoch seconds");
        }
    }

    private static boolean looksNumeric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        // an ISO text starts with four digits and a dash at index 4; an epoch number never has one there
        return (c == '-' || c == '+' || (c >= '0' && c <= '9')) && (text.length() < 5 || text.charAt(4) != '-');
    }

    private static String unit(TemporalFormat format) {
        return format.kind() == TemporalFormat.Kind.EPOCH_SECONDS ? "epoch seconds" : "epoch milliseconds";
    }
}
