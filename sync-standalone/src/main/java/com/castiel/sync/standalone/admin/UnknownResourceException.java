package com.castiel.sync.standalone.admin;

/**
 * An admin request named something that does not exist (an integration id, a dead letter). The
 * HTTP API answers 404, the command line exits with status 2.
 */
public final class UnknownResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownResourceException(String message) {
        super(message);
    }
}
