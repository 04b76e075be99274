package com.castiel.sync.standalone.config;

import com.castiel.sync.engine.WebhookIntake;

/**
 * The HTTP server ({@code server} in the configuration).
 *
 * @param bindAddress address the server listens on; loopback by default so the admin API is not
 *     reachable from other machines unless the operator decides so
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxWebhookBytes largest webhook body accepted; larger ones get 413 unread
 */
public record ServerSettings(String bindAddress, Integer port, Integer maxWebhookBytes) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ServerSettings {
        bindAddress = bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress.trim();
        port = port == null ? DEFAULT_PORT : port;
        maxWebhookBytes = maxWebhookBytes == null ? WebhookIntake.DEFAULT_MAX_BODY_BYTES : maxWebhookBytes;
    }

    public static ServerSettings defaults() {
        return new ServerSettings(null, null, null);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(bindAddress, newPort, maxWebhookBytes);
    }
}
