package com.castiel.sync.standalone.server;

/**
 * What {@code GET /health} reports: {@code up} (200) while the runtime serves and its storage
 * answers, {@code stopping} (503) during shutdown, {@code down} (503) when storage fails.
 */
@FunctionalInterface
public interface HealthCheck {

    /** @return the state; must be quick and must not throw */
    Status check();

    /**
     * @param state {@code up}, {@code stopping} or {@code down}
     * @param detail a short reason for anything but {@code up}, never a secret
     */
    record Status(String state, String detail) {
        public static final Status UP = new Status("up", null);

        public boolean healthy() {
            return state.equals("up");
        }
    }
}
