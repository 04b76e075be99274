package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalQueries;

/**
 * {@code date} fields: a calendar date without a zone, held in the shard as {@code yyyy-MM-dd}.
 *
 * <p>Inbound: {@code yyyy-MM-dd}; a datetime text gives the date as written in it (Dataverse sends
 * some date-only columns as {@code 2013-05-20T00:00:00Z}); epoch numbers give the UTC date; a
 * pattern is applied when configured. Outbound: {@code yyyy-MM-dd} for the ISO, {@code date} and
 * Salesforce formats, UTC midnight for the epoch formats, or the pattern.
 */
final class DateConversion implements ValueConverter {

    private final TemporalFormat format;

    DateConversion(TemporalFormat format) {
        this.format = format;
    }

    @Override
    public FieldType type() {
        return FieldType.DATE;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        if (DateTimeConversion.isBlankText(wireValue)) {
            return NullNode.instance;
        }
        return TextNode.valueOf(IsoTimestamp.formatDate(read(wireValue, format)));
    }

    @Override
    public JsonNode canonical(JsonNode shardValue) {
        if (DateTimeConversion.isBlankText(shardValue)) {
            return NullNode.instance;
        }
        return TextNode.valueOf(IsoTimestamp.formatDate(read(shardValue, TemporalFormat.ISO)));
    }

    @Override
    public JsonNode toExternal(JsonNode canonicalValue) {
        return switch (format.kind()) {
            case ISO8601, SALESFORCE -> canonicalValue;
            case EPOCH_MILLIS -> LongNode.valueOf(date(canonicalValue).toEpochDay() * 86_400_000L);
            case EPOCH_SECONDS -> LongNode.valueOf(date(canonicalValue).toEpochDay() * 86_400L);
            case PATTERN -> TextNode.valueOf(format.formatter().format(date(canonicalValue).atStartOfDay(ZoneOffset.UTC)));
        };
    }

    private static LocalDate date(JsonNode canonicalValue) {
        return IsoTimestamp.parse(canonicalValue.textValue()).date();
    }

    private static LocalDate read(JsonNode value, TemporalFormat format) {
        if (value.isTextual() && format.kind() == TemporalFormat.Kind.PATTERN) {
            try {
                LocalDate date = format.formatter().parse(value.textValue().strip()).query(TemporalQueries.localDate());
                if (date != null) {
                    return date;
                }
            } catch (DateTimeException e) {
                throw new InvalidValueException(ValueDisplay.of(value) + " does not match the format '" + format.text() + "'");
            }
            throw new InvalidValueException(ValueDisplay.of(value) + " has no date in the format '" + format.text() + "'");
        }
        if (value.isTextual() && !(format.isEpoch() && !looksLikeIsoDate(value.textValue()))) {
            IsoTimestamp.Parsed parsed = IsoTimestamp.parse(value.textValue().strip());
            if (parsed == null) {
                throw new InvalidValueException(ValueDisplay.of(value) + " is not a date (expected yyyy-MM-dd)");
            }
            return parsed.date();
        }
        long millis = DateTimeConversion.epochMillis(value, format);
        return LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L));
    }

    private static boolean looksLikeIsoDate(String text) {
        String t = text.strip();
        return t.length() >= 10 && t.charAt(4) == '-';
    }
}
