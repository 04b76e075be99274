package com.castiel.sync.transform;

/**
 * A single value cannot be converted or placed where a mapping wants it. The message describes
 * the value and the problem ({@code 'abc' is not a number}) but never the field: the caller that
 * knows which field it was converting adds that and turns it into a
 * {@link com.castiel.sync.spi.SyncException.Validation} for the one record at fault.
 *
 * <p>Stack traces are not captured: this is an expected, per-value outcome on a hot path, and the
 * message carries everything needed to fix the data.
 */
public final class InvalidValueException extends RuntimeException {

    public InvalidValueException(String message) {
        super(message, null, false, false);
    }
}
