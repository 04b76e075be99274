package com.castiel.sync.standalone.store;

/**
 * Etags of the SQLite shard store: a store-wide counter value, quoted hex. The counter only
 * grows, so an etag is never given twice, not even to a shard deleted and created again.
 */
final class ShardEtags {

    /** Parsed value of an etag this store never issued: it matches no stored shard. */
    static final long FOREIGN = -1;

    private ShardEtags() {
    }

    static String format(long value) {
        return "\"" + Long.toHexString(value) + "\"";
    }

    /** The counter value of {@code etag}, or {@link #FOREIGN} when it is not one of ours. */
    static long parse(String etag) {
        if (etag.length() < 3 || etag.charAt(0) != '"' || etag.charAt(etag.length() - 1) != '"') {
            return FOREIGN;
        }
        try {
            long v = Long.parseUnsignedLong(etag.substring(1, etag.length() - 1), 16);
            return v > 0 ? v : FOREIGN;
        } catch (NumberFormatException e) {
            return FOREIGN;
        }
    }
}
