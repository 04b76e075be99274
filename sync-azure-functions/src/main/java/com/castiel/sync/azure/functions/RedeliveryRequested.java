package com.castiel.sync.azure.functions;

/**
 * Thrown by a Service Bus function so that the Functions host abandons its trigger message
 * (Java functions settle only by returning or throwing): the message becomes visible again with
 * its delivery count incremented, and the broker dead-letters it once the queue's
 * {@code maxDeliveryCount} is reached.
 */
public class RedeliveryRequested extends RuntimeException {

    public RedeliveryRequested(String message) {
        super(message);
    }
}
