package com.castiel.sync.azure.cosmos;

/**
 * A Cosmos DB request failed in a way the stores do not expect (bad request, forbidden, missing
 * container...). Carries the HTTP status; the message never holds document contents.
 */
public class CosmosStoreException extends RuntimeException {

    private final int statusCode;

    public CosmosStoreException(String message, int statusCode, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }
}
