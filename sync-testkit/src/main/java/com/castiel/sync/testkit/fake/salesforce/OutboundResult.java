package com.castiel.sync.testkit.fake.salesforce;

import java.util.List;

/**
 * What sending Outbound Messages achieved.
 *
 * @param messages SOAP messages sent
 * @param acknowledged notifications whose message the listener acknowledged
 * @param unacknowledged notifications still to be retried
 * @param statuses the HTTP status of each message, in order ({@code 0} when the listener could
 *     not be reached)
 */
public record OutboundResult(int messages, int acknowledged, int unacknowledged, List<Integer> statuses) {

    public OutboundResult {
        statuses = List.copyOf(statuses);
    }
}
