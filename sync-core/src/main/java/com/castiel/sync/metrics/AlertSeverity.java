package com.castiel.sync.metrics;

/** How urgent an {@link Alert} is, in the seed's terms; declared from most to least urgent. */
public enum AlertSeverity {
    CRITICAL,
    HIGH,
    WARNING
}
