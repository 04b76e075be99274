package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;

/**
 * {@code integer} fields: signed 64-bit. Integral JSON numbers, numbers with a zero fraction
 * ({@code 12.0}) and numeric text are accepted; a fraction or a value beyond the long range is
 * refused rather than rounded; blank text is no value.
 */
final class IntegerConversion implements ValueConverter {

    @Override
    public FieldType type() {
        return FieldType.INTEGER;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        if (wireValue.isLong()) {
            return wireValue;
        }
        if (wireValue.isInt() || wireValue.isShort()) {
            return LongNode.valueOf(wireValue.longValue());
        }
        if (wireValue.isNumber()) {
            return exact(Decimals.of(wireValue), wireValue);
        }
        if (wireValue.isTextual()) {
            String text = wireValue.textValue().strip();
            if (text.isEmpty()) {
                return NullNode.instance;
            }
            BigDecimal value = Decimals.parse(text);
            if (value != null) {
                return exact(value, wireValue);
            }
        }
        throw new InvalidValueException(ValueDisplay.of(wireValue) + " is not an integer");
    }

    private static JsonNode exact(BigDecimal value, JsonNode original) {
        JsonNode canonical = Decimals.canonical(value);
        if (canonical.isLong()) {
            return canonical;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            throw new InvalidValueException(ValueDisplay.of(original) + " is out of range for an integer");
        }
        throw new InvalidValueException(ValueDisplay.of(original) + " is not an integer");
    }

    @Override
    public JsonNode canonical(JsonNode shardValue) {
        return toShard(shardValue);
    }

    @Override
    public JsonNode toExternal(JsonNode canonicalValue) {
        return canonicalValue;
    }
}
