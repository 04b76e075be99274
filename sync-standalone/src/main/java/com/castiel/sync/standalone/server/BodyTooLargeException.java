package com.castiel.sync.standalone.server;

/** A request body exceeded its bound; the server answers 413 without reading further. */
final class BodyTooLargeException extends Exception {

    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
