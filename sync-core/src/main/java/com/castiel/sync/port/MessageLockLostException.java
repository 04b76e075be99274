package com.castiel.sync.port;

/**
 * Settling or renewing failed because the lock expired (the message may already have been
 * delivered to someone else) or the token is unknown.
 */
public class MessageLockLostException extends RuntimeException {

    public MessageLockLostException(String message) {
        super(message);
    }
}
