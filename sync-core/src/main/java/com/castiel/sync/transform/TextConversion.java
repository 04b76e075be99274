package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;

/**
 * {@code string} fields. Numbers from the provider become their plain decimal text without
 * trailing zeros ({@code 12.50} gives {@code "12.5"}), booleans {@code "true"}/{@code "false"};
 * objects and arrays are refused (map them as {@code json}). Blank text is a value here, not an
 * absence.
 *
 * <p>With {@code numericWire} (format {@code number}) the provider's value is a JSON number that
 * the shard keeps as text: Dataverse choice columns carry option values such as
 * {@code 100000000}, usually value-mapped to labels. Write-back then sends a JSON number.
 */
final class TextConversion implements ValueConverter {

    private final boolean numericWire;

    TextConversion(boolean numericWire) {
        this.numericWire = numericWire;
    }

    @Override
    public FieldType type() {
        return FieldType.STRING;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        if (wireValue.isTextual()) {
            if (numericWire) {
                // the wire may also carry the number as text ("007"); keep one spelling per number
                BigDecimal number = Decimals.parse(wireValue.textValue().strip());
                return number == null ? wireValue : TextNode.valueOf(Decimals.plainText(number));
            }
            return wireValue;
        }
        if (wireValue.isIntegralNumber() && wireValue.canConvertToLong()) {
            return TextNode.valueOf(Long.toString(wireValue.longValue()));
        }
        if (wireValue.isNumber()) {
            return TextNode.valueOf(Decimals.plainText(Decimals.of(wireValue)));
        }
        if (wireValue.isBoolean()) {
            return TextNode.valueOf(wireValue.asText());
        }
        throw new InvalidValueException(ValueDisplay.of(wireValue) + " is not a string (map it with type json)");
    }

    @Override
    public JsonNode canonical(JsonNode shardValue) {
        return toShard(shardValue);
    }

    @Override
    public JsonNode toExternal(JsonNode canonicalValue) {
        if (!numericWire) {
            return canonicalValue;
        }
        return numberOf(canonicalValue.textValue());
    }

    /** The JSON number a text stands for, for providers that want numbers on the wire. */
    static JsonNode numberOf(String text) {
        BigDecimal number = Decimals.parse(text.strip());
        if (number == null) {
            throw new InvalidValueException(ValueDisplay.quote(text) + " is not a number, which this field's format requires");
        }
        return Decimals.canonical(number);
    }

    boolean numericWire() {
        return numericWire;
    }
}
