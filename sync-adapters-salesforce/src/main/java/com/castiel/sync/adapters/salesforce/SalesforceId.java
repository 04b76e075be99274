package com.castiel.sync.adapters.salesforce;

import java.util.Optional;

/**
 * Salesforce record ids. An id is 15 case-sensitive characters or the same 15 plus a 3-character
 * suffix that encodes the case of the first 15, making the 18-character form unique without
 * regard to case. The API answers 18-character ids; people and reports often carry 15. The
 * adapter normalises every id it reads or receives to 18 characters so ids compare equal
 * whichever form they arrived in. Stateless.
 */
final class SalesforceId {

    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceId() {
    }

    /**
     * The 18-character form of a 15- or 18-character id. The suffix of an 18-character id is
     * recomputed from its first 15 characters, which repairs a suffix whose case was changed.
     *
     * @return empty when {@code id} is not 15 or 18 ASCII letters and digits
     */
    static Optional<String> normalise(String id) {
        if (id == null || (id.length() != 15 && id.length() != 18)) {
            return Optional.empty();
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return Optional.empty();
            }
        }
        String base = id.substring(0, 15);
        StringBuilder out = new StringBuilder(18).append(base);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = base.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return Optional.of(out.toString());
    }
}
