package com.castiel.sync.transform;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * One text per JSON value regardless of how it was built, so equal content hashes equally in
 * every JVM and run: object keys sorted by UTF-16 code units, numbers as exact decimals without
 * trailing zeros ({@code 1}, {@code 1.0}, {@code 1.00} and a double {@code 1.0} agree), strings
 * JSON-escaped, arrays in order. Text and numbers never collide ({@code "1"} vs {@code 1}).
 */
final class CanonicalJson {

    private static final MessageDigest SHA_256_PROTOTYPE = sha256();
    private static final HexFormat HEX = HexFormat.of();

    private CanonicalJson() {
    }

    /** Hex SHA-256 of the canonical text of {@code value}. */
    static String hash(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return digest(out);
    }

    /**
     * Hex SHA-256 of an object whose keys are already known in sorted order; the result equals
     * {@link #hash} of the same object. Keys absent from {@code object} are skipped.
     */
    static String hashSorted(JsonNode object, String[] sortedKeys) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        boolean first = true;
        for (String key : sortedKeys) {
            JsonNode child = object.get(key);
            if (child == null) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(key, out);
            out.append(':');
            write(child, out);
        }
        out.append('}');
        return digest(out);
    }

    /** The canonical text of {@code value}. */
    static String text(JsonNode value) {
        StringBuilder out = new StringBuilder(32);
        write(value, out);
        return out.toString();
    }

    private static String digest(StringBuilder text) {
        MessageDigest digest = newDigest();
        return HEX.formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isInt() || node.isLong() || node.isShort()) {
            out.append(Decimals.canonicalText(node.longValue()));
        } else if (node.isNumber()) {
            writeNumber(node, out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isObject()) {
            writeObject(node, out);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else {
            // binary and POJO nodes: their text form, marked so it cannot equal a plain string
            out.append('~');
            writeString(node.asText(), out);
        }
    }

    private static void writeNumber(JsonNode node, StringBuilder out) {
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            out.append(node.doubleValue());
            return;
        }
        out.append(Decimals.canonicalText(Decimals.of(node)));
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        String[] keys = new String[node.size()];
        int n = 0;
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            keys[n++] = property.getKey();
        }
        Arrays.sort(keys);
        out.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(keys[i], out);
            out.append(':');
            write(node.get(keys[i]), out);
        }
        out.append('}');
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
                        // control characters, and lone surrogates that UTF-8 would turn into '?'
                        out.append("\\u").append(HEX.toHexDigits(c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) SHA_256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256, which every Java platform must provide", e);
        }
    }
}
