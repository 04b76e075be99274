package com.castiel.sync.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/** Validation and generation of identifier values shared by the id records. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LENGTH = 255;

    private Ids() {
    }

    static void requireValid(String value, String kind) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(kind + " must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '/' || c == '\\' || c == '?' || c == '#') {
                throw new IllegalArgumentException(kind + " contains a forbidden character at index " + i);
            }
        }
    }

    /**
     * A time-ordered identifier (48-bit millisecond prefix, 80 random bits, hex): ids created
     * later sort later, which keeps B-tree inserts at the right edge of an index instead of
     * scattering them across random pages.
     */
    public static String timeOrdered(Instant now) {
        byte[] bytes = new byte[16];
        long millis = now.toEpochMilli();
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) (millis & 0xff);
            millis >>>= 8;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, bytes, 6, 10);
        return HexFormat.of().formatHex(bytes);
    }

    /** An unguessable token of {@code bytes} random bytes in URL-safe form (for endpoint keys). */
    public static String secureToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
