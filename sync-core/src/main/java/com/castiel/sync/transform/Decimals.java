package com.castiel.sync.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;

/** Exact number handling shared by the number and integer conversions and the content hash. */
final class Decimals {

    /** Largest decimal exponent accepted from text, far beyond any real field value. */
    private static final int MAX_SCALE = 1000;

    private Decimals() {
    }

    /**
     * The exact value of a JSON number node. Doubles go through their shortest decimal text
     * ({@link BigDecimal#valueOf(double)}), so {@code 0.1} stays {@code 0.1}.
     *
     * @throws InvalidValueException for NaN and infinities
     */
    static BigDecimal of(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.canConvertToLong() ? BigDecimal.valueOf(number.longValue()) : new BigDecimal(number.bigIntegerValue());
        }
        if (number.isDouble() || number.isFloat()) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidValueException(number.asText() + " is not a finite number");
            }
            return BigDecimal.valueOf(d);
        }
        return number.decimalValue();
    }

    /** Parses decimal text ({@code 12.5}, {@code -3}, {@code 1e3}); {@code null} when it is not a number. */
    static BigDecimal parse(String text) {
        int n = text.length();
        if (n == 0 || n > 400) {
            return null;
        }
        char first = text.charAt(0);
        // BigDecimal accepts neither letters first nor blanks; rejecting early avoids a costly exception
        if (!(first >= '0' && first <= '9') && first != '-' && first != '+' && first != '.') {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text);
            // "1e999999999" is short text but an absurd number; no provider value comes near
            return Math.abs((long) value.scale()) > MAX_SCALE ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Plain decimal text without exponent or trailing zeros ({@code 1500}, {@code 0.0047}).
     *
     * @throws InvalidValueException when the plain form would be unreasonably long
     */
    static String plainText(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (Math.abs((long) stripped.scale()) > MAX_SCALE) {
            throw new InvalidValueException(value + " is too large or too small to write out");
        }
        return stripped.toPlainString();
    }

    /**
     * The canonical node for a number: a long node when integral and within range, else a
     * decimal node without trailing zeros.
     */
    static JsonNode canonical(BigDecimal value) {
        if (value.signum() == 0) {
            return LongNode.valueOf(0);
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            int digits = stripped.precision() - stripped.scale();
            if (digits <= 18 || digits == 19 && stripped.toBigInteger().bitLength() < 64) {
                return LongNode.valueOf(stripped.longValue());
            }
        }
        return DecimalNode.valueOf(stripped);
    }

    /** Canonical text of a number for hashing and value-map keys: {@code 1}, {@code 1.0} and {@code 1.00} agree. */
    static String canonicalText(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toString();
    }

    /** Canonical text of a long, identical to {@code canonicalText(BigDecimal.valueOf(value))}. */
    static String canonicalText(long value) {
        if (value % 10 != 0 || value == 0) {
            return Long.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toString();
    }
}
