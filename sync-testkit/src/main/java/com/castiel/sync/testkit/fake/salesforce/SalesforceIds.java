package com.castiel.sync.testkit.fake.salesforce;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Salesforce record ids as the fake issues and accepts them: a 3-character key prefix naming
 * the object type ({@code 001} Account, {@code 003} Contact, {@code 005} User), 12 more
 * case-sensitive characters, and the 3-character case-safe suffix that makes the 18-character
 * form unique without regard to case (what the {@code CASESAFEID} formula computes).
 *
 * <p>The fake stores and answers 18-character ids and accepts either form on input, as the REST
 * API does. Stateless and thread-safe.
 */
public final class SalesforceIds {

    private static final Pattern SHAPE = Pattern.compile("[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?");
    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SalesforceIds() {
    }

    /**
     * The 18-character form of a 15- or 18-character id; an 18-character id has its suffix
     * recomputed from its first 15 characters, so a suffix typed in the wrong case is repaired.
     *
     * @return empty when {@code id} is not 15 or 18 letters and digits
     */
    public static Optional<String> normalise(String id) {
        if (id == null || !SHAPE.matcher(id).matches()) {
            return Optional.empty();
        }
        String base = id.substring(0, 15);
        return Optional.of(base + suffix(base));
    }

    /** The case-safe suffix of a 15-character id. */
    static String suffix(String id15) {
        StringBuilder out = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return out.toString();
    }

    /**
     * A new 18-character id: {@code keyPrefix}, a fixed pod part and {@code sequence} in base 62,
     * so ids of one prefix sort (as strings) in issue order.
     */
    static String issue(String keyPrefix, long sequence) {
        if (keyPrefix.length() != 3) {
            throw new IllegalArgumentException("key prefix must have 3 characters: " + keyPrefix);
        }
        char[] digits = new char[9];
        long n = sequence;
        for (int i = 8; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (n % 62));
            n /= 62;
        }
        if (n != 0) {
            throw new IllegalArgumentException("sequence too large for an id: " + sequence);
        }
        String base = keyPrefix + "Fk0" + new String(digits);
        return base + suffix(base);
    }
}
