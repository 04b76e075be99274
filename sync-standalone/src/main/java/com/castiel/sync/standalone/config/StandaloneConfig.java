package com.castiel.sync.standalone.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The standalone runtime's configuration, as loaded and validated by {@link ConfigLoader}.
 *
 * @param source the file it came from, as the user named it, for messages
 * @param dataDir the data directory named in the file, or {@code null} (the command line's
 *     {@code --data-dir}, then {@code ./data}, apply)
 * @param server HTTP server
 * @param limits work limits
 * @param workers timers
 * @param integrations the configured integrations
 */
public record StandaloneConfig(String source, Path dataDir, ServerSettings server, Limits limits, WorkerSettings workers,
                               List<IntegrationConfig> integrations) {

    /** Where the data lives when neither the file nor the command line says. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    public StandaloneConfig {
        server = server == null ? ServerSettings.defaults() : server;
        limits = limits == null ? Limits.defaults() : limits;
        workers = workers == null ? WorkerSettings.defaults() : workers;
        integrations = integrations == null ? List.of() : List.copyOf(integrations);
    }

    /** A configuration with no integrations and every default, for admin commands without a file. */
    public static StandaloneConfig empty(String source) {
        return new StandaloneConfig(source, null, null, null, null, List.of());
    }

    public Optional<IntegrationConfig> integration(String id) {
        return integrations.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** The data directory: {@code override} when given, else the file's, else {@link #DEFAULT_DATA_DIR}. */
    public Path resolveDataDir(Path override) {
        if (override != null) {
            return override;
        }
        return dataDir != null ? dataDir : DEFAULT_DATA_DIR;
    }

    public StandaloneConfig withServer(ServerSettings newServer) {
        return new StandaloneConfig(source, dataDir, newServer, limits, workers, integrations);
    }

    public StandaloneConfig withIntegrations(List<IntegrationConfig> newIntegrations) {
        return new StandaloneConfig(source, dataDir, server, limits, workers, newIntegrations);
    }

    public StandaloneConfig withLimits(Limits newLimits) {
        return new StandaloneConfig(source, dataDir, server, newLimits, workers, integrations);
    }

    public StandaloneConfig withWorkers(WorkerSettings newWorkers) {
        return new StandaloneConfig(source, dataDir, server, limits, newWorkers, integrations);
    }
}
