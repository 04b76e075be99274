package com.castiel.sync.metrics;

import java.util.Objects;

/**
 * An alert condition that holds now.
 *
 * @param name stable machine name: {@code high_failure_rate}, {@code queue_backlog},
 *     {@code token_refresh_failure} or {@code dead_letter_accumulation}
 * @param severity urgency
 * @param value the measured value (a rate in [0, 1] for the failure rate, a count otherwise)
 * @param threshold the value it exceeded
 * @param message a sentence for an operator, naming the queue where there is one
 */
public record Alert(String name, AlertSeverity severity, double value, double threshold, String message) {

    public static final String HIGH_FAILURE_RATE = "high_failure_rate";
    public static final String QUEUE_BACKLOG = "queue_backlog";
    public static final String TOKEN_REFRESH_FAILURE = "token_refresh_failure";
    public static final String DEAD_LETTER_ACCUMULATION = "dead_letter_accumulation";

    public Alert {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }
}
