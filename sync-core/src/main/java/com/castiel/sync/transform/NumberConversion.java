package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;

/**
 * {@code number} fields: exact decimals. JSON numbers and numeric text are accepted; blank text
 * is no value; anything else is refused. Doubles are read through their shortest decimal text so
 * no binary rounding leaks into shards.
 */
final class NumberConversion implements ValueConverter {

    @Override
    public FieldType type() {
        return FieldType.NUMBER;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        if (wireValue.isInt() || wireValue.isLong()) {
            return wireValue.isLong() ? wireValue : LongNode.valueOf(wireValue.longValue());
        }
        if (wireValue.isNumber()) {
            return Decimals.canonical(Decimals.of(wireValue));
        }
        if (wireValue.isTextual()) {
            String text = wireValue.textValue().strip();
            if (text.isEmpty()) {
                return NullNode.instance;
            }
            BigDecimal value = Decimals.parse(text);
            if (value != null) {
                return Decimals.canonical(value);
            }
        }
        throw new InvalidValueException(ValueDisplay.of(wireValue) + " is not a number");
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
