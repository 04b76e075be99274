package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * Builds the {@link ValueConverter} for a field type and its configured wire format. Formats are
 * validated here, once per mapping, so a bad configuration fails when the mapping is compiled and
 * not on the first record.
 *
 * <p>Formats by type:
 * <ul>
 *   <li>{@code datetime}: {@code null} or {@code iso8601}, {@code salesforce}, {@code epoch_millis},
 *       {@code epoch_seconds}, or a {@link java.time.format.DateTimeFormatter} pattern (UTC);</li>
 *   <li>{@code date}: the same, plus {@code date} (= {@code yyyy-MM-dd});</li>
 *   <li>{@code string}: {@code null}, or {@code number} when the provider's value is a JSON number
 *       kept as text in the shard (Dataverse choice values);</li>
 *   <li>{@code number}, {@code integer}, {@code boolean}, {@code json}: no format.</li>
 * </ul>
 */
public final class Conversions {

    private static final ValueConverter TEXT = new TextConversion(false);
    private static final ValueConverter NUMERIC_TEXT = new TextConversion(true);
    private static final ValueConverter NUMBER = new NumberConversion();
    private static final ValueConverter INTEGER = new IntegerConversion();
    private static final ValueConverter BOOLEAN = new BooleanConversion();
    private static final ValueConverter JSON = new JsonConversion();

    private Conversions() {
    }

    /**
     * The converter for {@code type} in wire format {@code format}.
     *
     * @param type the declared field type, not null
     * @param format the configured format, {@code null} or blank for the type's default
     * @throws IllegalArgumentException naming the accepted formats when {@code format} does not
     *     apply to {@code type} or is not a valid pattern
     */
    public static ValueConverter forType(FieldType type, String format) {
        boolean noFormat = format == null || format.isBlank();
        return switch (type) {
            case STRING -> {
                if (noFormat) {
                    yield TEXT;
                }
                if (format.strip().toLowerCase(Locale.ROOT).equals("number")) {
                    yield NUMERIC_TEXT;
                }
                throw new IllegalArgumentException("format '" + format + "' does not apply to type string (accepted: number)");
            }
            case NUMBER -> withoutFormat(NUMBER, format);
            case INTEGER -> withoutFormat(INTEGER, format);
            case BOOLEAN -> withoutFormat(BOOLEAN, format);
            case JSON -> withoutFormat(JSON, format);
            case DATE -> checked(new DateConversion(TemporalFormat.parse(format, true)));
            case DATETIME -> checked(new DateTimeConversion(TemporalFormat.parse(format, false)));
        };
    }

    private static ValueConverter withoutFormat(ValueConverter converter, String format) {
        if (format != null && !format.isBlank()) {
            throw new IllegalArgumentException("format '" + format + "' does not apply to type " + converter.type().wire()
                    + ", which takes no format");
        }
        return converter;
    }

    /**
     * Writes and reads back a sample so that a pattern which cannot print or parse its own
     * output (one naming fields a date or an instant does not have) fails now.
     */
    private static ValueConverter checked(ValueConverter converter) {
        try {
            var sample = converter.canonical(TextNode.valueOf("2013-05-20T20:49:32.000Z"));
            converter.toShard(converter.toExternal(sample));
        } catch (InvalidValueException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("the format cannot write and read back a " + converter.type().wire()
                    + ": " + e.getMessage(), e);
        }
        return converter;
    }
}
