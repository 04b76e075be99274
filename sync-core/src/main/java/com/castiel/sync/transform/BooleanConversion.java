package com.castiel.sync.transform;

import com.castiel.sync.model.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;

/**
 * {@code boolean} fields. Accepts JSON booleans, the text {@code true} / {@code false} in any
 * case and the numbers 1 and 0; blank text is no value; anything else ({@code "yes"}, 2) is
 * refused instead of guessed. Map other spellings with a value map.
 */
final class BooleanConversion implements ValueConverter {

    @Override
    public FieldType type() {
        return FieldType.BOOLEAN;
    }

    @Override
    public JsonNode toShard(JsonNode wireValue) {
        if (wireValue.isBoolean()) {
            return wireValue;
        }
        if (wireValue.isNumber()) {
            BigDecimal value = Decimals.of(wireValue);
            if (value.compareTo(BigDecimal.ONE) == 0) {
                return BooleanNode.TRUE;
            }
            if (value.signum() == 0) {
                return BooleanNode.FALSE;
            }
        } else if (wireValue.isTextual()) {
            String text = wireValue.textValue().strip();
            if (text.equalsIgnoreCase("true")) {
                return BooleanNode.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return BooleanNode.FALSE;
            }
            if (text.isEmpty()) {
                return NullNode.instance;
            }
        }
        throw new InvalidValueException(ValueDisplay.of(wireValue) + " is not a boolean (expected true, false, 1 or 0)");
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
